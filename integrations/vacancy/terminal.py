"""The vacancy check as a readable terminal report (rich), evidence highlighted in its context."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from journeys.vacancy import Vacancy, VacancyCheck
from journeys.vacancy.labels import category_label
from journeys.vacancy.segments import sentences

_WORDS = {
    "nl": {
        "title": "Vacaturecheck",
        "language": {"nl": "Nederlands", "en": "Engels"},
        "found": "Gevonden",
        "none_found": "Geen leerbeloftes of verplichtingen gevonden.",
        "category": "Categorie",
        "evidence": "In de tekst",
        "missing": "Ontbreekt",
        "suggestions": "Suggesties",
        "gender": "Gendergecodeerde woorden",
        "masculine": "Mannelijk gecodeerd",
        "feminine": "Vrouwelijk gecodeerd",
        "model": "model, zekerheid",
    },
    "en": {
        "title": "Vacancy check",
        "language": {"nl": "Dutch", "en": "English"},
        "found": "Found",
        "none_found": "No learning offers or obligations found.",
        "category": "Category",
        "evidence": "In the text",
        "missing": "Missing",
        "suggestions": "Suggestions",
        "gender": "Gender-coded words",
        "masculine": "Masculine-coded",
        "feminine": "Feminine-coded",
        "model": "model, confidence",
    },
}
_SPAN = 45  # characters of context either side of the evidence


def in_context(text: str, start: int, end: int) -> Text:
    """Return the sentence around a finding, trimmed, with the evidence highlighted."""
    sentence = next((s for s in sentences(text) if s.start <= start < s.end), None)
    left, right = (sentence.start, sentence.end) if sentence else (start, end)
    left, right = max(left, start - _SPAN), min(right, end + _SPAN)
    out = Text("…" if left > (sentence.start if sentence else left) else "")
    out.append(" ".join(text[left:start].split(" ")).lstrip("- "))
    out.append(text[start:end], style="bold black on yellow")
    out.append(text[end:right])
    if sentence and right < sentence.end:
        out.append("…")
    return out


def print_report(report: VacancyCheck, *, vacancy: Vacancy, console: Console | None = None) -> None:
    """Print a check report: score, findings in context, what is missing, advice."""
    console = console or Console()
    words, lang = _WORDS[report.language], report.language
    name = vacancy.meta.title or vacancy.file
    console.print(
        Text.assemble((words["title"], "bold"), f"  {name}  ·  ", words["language"][lang])
    )
    filled = report.score // 5
    bar = Text("█" * filled, style="green") + Text("░" * (20 - filled), style="dim")
    console.print(Text.assemble(("Score ", "bold"), f"{report.score}/100  ", bar))
    if report.found:
        table = Table(title=words["found"], title_justify="left", show_lines=False, expand=True)
        table.add_column(words["category"], style="cyan", no_wrap=True)
        table.add_column(words["evidence"])
        for finding in report.found:
            label = category_label(finding.category, lang)
            if finding.source == "model":  # a whole sentence the model rated, not a phrase
                label += f"\n({words['model']} {finding.confidence:.2f})"
            table.add_row(label, in_context(vacancy.text, finding.start, finding.end))
        console.print(table)
    else:
        console.print(words["none_found"], style="yellow")
    if report.missing:
        missing = ", ".join(category_label(c, lang) for c in report.missing)
        console.print(Text.assemble((f"{words['missing']}: ", "bold"), missing))
    if report.suggestions:
        console.print(Text(words["suggestions"], style="bold"))
        for suggestion in report.suggestions:
            console.print(Text(f"  • {suggestion}"))
    coding = report.gender_coded
    console.print(Text(words["gender"], style="bold"))
    for key in ("masculine", "feminine"):
        found = list(dict.fromkeys(w.word.lower() for w in getattr(coding, key)))
        if found:
            console.print(Text(f"  {words[key]}: {', '.join(found)}"))
    console.print(Text(f"  {coding.advice}", style="italic"))
