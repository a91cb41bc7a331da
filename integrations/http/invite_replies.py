"""POST /webhooks/mail-replies: a raw reply mail from an inbound-mail service, HMAC-signed.

Mailgun routes (store / forward the MIME), SendGrid Inbound Parse (raw), Postmark, or a small
forwarding script post the message as it arrived (`Content-Type: message/rfc822`; a bare .ics as
`text/calendar` works too), signed `X-Leerpad-Signature: sha256=<hex HMAC-SHA256 of the body>` with
LEERPAD_SECRET_MAIL_REPLIES (or its Prefect Secret block, as every webhook secret).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from integrations.http.webhooks import WebhookDeps, read_limited, too_many
from integrations.invite_replies.intake import SOURCE, take_in_replies
from integrations.sources.signing import hmac_hex, same

PATH = "/webhooks/mail-replies"
SIGNATURE_HEADER = "x-leerpad-signature"
MAX_MESSAGE = 4 * 1024 * 1024  # a reply quoting the invite and its HTML stays well under this
ACCEPTED_TYPES = ("message/rfc822", "text/calendar", "application/ics", "text/plain")


def signature_ok(*, secret: str, raw: bytes, given: str | None) -> bool:
    """Whether `sha256=<hex>` is the HMAC-SHA256 of the body under the secret (constant time)."""
    value = (given or "").strip()
    if not value.lower().startswith("sha256="):
        return False
    return same(hmac_hex(secret.encode("utf-8"), raw), value[7:])


def invite_replies_router(deps: WebhookDeps) -> APIRouter:
    """The mail-replies route (include it before the generic /webhooks/{source} route)."""
    router = APIRouter()

    @router.post(
        PATH,
        status_code=202,
        responses={
            202: {"description": "The reply is on record (matched, stale, late or a duplicate)"},
            401: {"description": "Missing or wrong signature, or no secret configured"},
            413: {"description": "Message over 4 MiB"},
            415: {"description": "Not message/rfc822 (or text/calendar)"},
            422: {"description": "No invite reply in it, or one that matches no invite; kept"},
            429: {"description": "Too many requests from this client; see Retry-After"},
        },
    )
    async def receive_reply(request: Request) -> JSONResponse:
        """Receive one reply mail: 202 recorded, 401 signature, 422 no (matching) reply."""
        if deps.limiter is not None:
            client = request.client.host if request.client else "?"
            limited = deps.limiter.take(source=SOURCE, client=client)
            if not limited.allowed:
                return too_many(limited.retry_after)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in ACCEPTED_TYPES:
            return JSONResponse(
                {"error": f"send the raw message as message/rfc822, not {kind or 'no type'}"},
                status_code=415,
            )
        raw = await read_limited(request, MAX_MESSAGE)
        if raw is None:
            return JSONResponse({"error": "message larger than 4 MiB"}, status_code=413)
        secret = deps.secret_for(SOURCE)
        if not secret:
            reason = "no secret configured for mail replies; set LEERPAD_SECRET_MAIL_REPLIES"
            return JSONResponse({"error": reason}, status_code=401)
        if not signature_ok(secret=secret, raw=raw, given=request.headers.get(SIGNATURE_HEADER)):
            reason = (
                "X-Leerpad-Signature is missing or does not match the body: sign the raw bytes "
                "as sha256=<hex HMAC-SHA256> with LEERPAD_SECRET_MAIL_REPLIES"
            )
            return JSONResponse({"error": reason}, status_code=401)
        outcomes = await run_in_threadpool(
            take_in_replies, engine=deps.engine, raw=raw, headers=dict(request.headers),
            now=deps.now(),
        )  # fmt: skip
        body = {"replies": [o.as_dict() for o in outcomes]}
        if any(o.stored for o in outcomes):
            return JSONResponse(body, status_code=202)
        body["error"] = "; ".join(dict.fromkeys(o.reason or o.outcome for o in outcomes))
        return JSONResponse(body, status_code=422)

    return router
