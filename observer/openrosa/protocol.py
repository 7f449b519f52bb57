"""The OpenRosa wire format: headers every response carries, the response document, the form
list. Pure: strings in, strings out."""

from __future__ import annotations

from email.utils import formatdate
from xml.sax.saxutils import escape

OPENROSA_VERSION = "1.0"
XML_TYPE = "text/xml; charset=utf-8"
REALM = "Observer OpenRosa"


def headers(**extra: str) -> dict[str, str]:
    return {
        "X-OpenRosa-Version": OPENROSA_VERSION,
        "Date": formatdate(usegmt=True),
        "Cache-Control": "no-store",
        **extra,
    }


def response_document(messages: list[str], nature: str = "") -> str:
    """An OpenRosaResponse with one message per line (ODK Collect shows the text)."""
    attribute = f' nature="{escape(nature)}"' if nature else ""
    text = escape("\n".join(str(m) for m in messages))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
        f"<message{attribute}>{text}</message></OpenRosaResponse>"
    )


def form_list(forms: list[dict[str, str]]) -> str:
    """The Form List API document (formID, name, version, hash, downloadUrl per form)."""
    items = []
    for form in forms:
        cells = "".join(
            f"<{key}>{escape(form[key])}</{key}>"
            for key in ("formID", "name", "version", "hash", "downloadUrl")
        )
        items.append(f"<xform>{cells}</xform>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xforms xmlns="http://openrosa.org/xforms/xformsList">' + "".join(items) + "</xforms>"
    )
