"""The file outbox writes one parseable .eml per Message-ID, atomically, without PII in names."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

from integrations.mail.message import CalendarPart
from integrations.mail.outbox import FileOutbox, eml_name


def read(path):
    return message_from_bytes(path.read_bytes(), policy=policy.default)


class TestFileOutbox:
    def test_writes_one_eml_per_message_into_a_new_directory(self, tmp_path, make_message):
        outbox_dir = tmp_path / "nested" / "outbox"
        messages = [make_message(n) for n in (1, 2, 3)]
        results = FileOutbox(outbox_dir).send_batch(messages)
        assert [r.ok for r in results] == [True, True, True]
        assert [r.message_id for r in results] == [m.message_id for m in messages]
        files = sorted(outbox_dir.iterdir())
        assert [f.name for f in files] == sorted(eml_name(m) for m in messages)
        parsed = [read(f) for f in files]
        assert [p["Message-ID"] for p in parsed] == [m.message_id for m in messages]
        assert parsed[0].get_body(("plain",)).get_content().startswith("Hallo Jürgen")

    def test_file_names_carry_date_and_no_personal_data(self, tmp_path, make_message):
        message = make_message()
        FileOutbox(tmp_path).send_batch([message])
        (name,) = [f.name for f in tmp_path.iterdir()]
        assert name.startswith("20270315T090001Z-") and name.endswith(".eml")
        assert "@" not in name and "hire" not in name and message.message_id[1:25] not in name

    def test_same_message_id_twice_leaves_one_file_with_the_last_content(
        self, tmp_path, make_message
    ):
        outbox = FileOutbox(tmp_path)
        outbox.send_batch([make_message(subject="first")])
        outbox.send_batch([make_message(subject="second")])
        later = make_message(subject="third", date=dt.datetime(2027, 3, 16, 9, tzinfo=dt.UTC))
        outbox.send_batch([later])
        files = list(tmp_path.iterdir())
        assert len(files) == 1 and files[0].name == eml_name(later)
        assert read(files[0])["Subject"] == "third"

    def test_leaves_no_temporary_files(self, tmp_path, make_message):
        ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
        FileOutbox(tmp_path).send_batch([make_message(calendar=CalendarPart(ics, "REQUEST"))])
        assert [f.suffix for f in tmp_path.iterdir()] == [".eml"]
        assert not any(f.name.startswith(".tmp") for f in tmp_path.iterdir())
