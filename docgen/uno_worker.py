"""UNO client run by a Python that can `import uno` (Debian's python3-uno, not the venv).

Started by docgen.pdf.WarmConverter next to a listening `soffice --accept=pipe,...`. It
connects once and then converts documents on request, one JSON object per line:

  in:  {"cmd": "convert", "src": "/abs/in.docx", "dst": "/abs/out.pdf",
        "filter": "writer_pdf_Export", "filter_data": {"SelectPdfVersion": 2}}
  out: {"ok": true} or {"ok": false, "error": "..."}
  in:  {"cmd": "ping"} / {"cmd": "quit"}

Only the standard library and uno are imported: this file runs outside the project's venv.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
import traceback
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def _props(**values: object) -> tuple[Any, ...]:
    return tuple(PropertyValue(Name=key, Value=value) for key, value in values.items())


def connect(pipe: str, deadline: float) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    while True:
        try:
            context = resolver.resolve(url)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def convert(desktop: Any, request: dict[str, Any]) -> None:
    src = uno.systemPathToFileUrl(request["src"])
    dst = uno.systemPathToFileUrl(request["dst"])
    document = desktop.loadComponentFromURL(
        src, "_blank", 0, _props(Hidden=True, ReadOnly=True, UpdateDocMode=0))
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        # Fields (PAGE, NUMPAGES) and indexes are laid out before export.
        if hasattr(document, "getTextFields"):
            document.getTextFields().refresh()
        filter_data = tuple(PropertyValue(Name=k, Value=v)
                            for k, v in request.get("filter_data", {}).items())
        store = [PropertyValue(Name="FilterName", Value=request["filter"]),
                 PropertyValue(Name="Overwrite", Value=True)]
        if filter_data:
            store.append(PropertyValue(
                Name="FilterData",
                Value=uno.Any("[]com.sun.star.beans.PropertyValue", filter_data)))
        document.storeToURL(dst, tuple(store))
    finally:
        document.close(True)


def reply(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> int:
    pipe = sys.argv[1]
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    try:
        desktop = connect(pipe, time.monotonic() + timeout)
    except Exception as error:  # report any failure to the parent
        reply({"ok": False, "error": f"connect: {error}"})
        return 1
    reply({"ok": True, "ready": True})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            command = request.get("cmd")
            if command == "quit":
                with contextlib.suppress(Exception):  # soffice may already be gone
                    desktop.terminate()
                reply({"ok": True})
                return 0
            if command == "ping":
                desktop.getComponents()
                reply({"ok": True})
            elif command == "convert":
                convert(desktop, request)
                reply({"ok": True})
            else:
                reply({"ok": False, "error": f"unknown command {command!r}"})
        except Exception as error:  # keep serving; the parent decides
            reply({"ok": False, "error": f"{type(error).__name__}: {error}",
                   "trace": traceback.format_exc(limit=3)})
    # stdin closed: the parent has gone, so LibreOffice should not outlive it.
    with contextlib.suppress(Exception):  # soffice may already be gone
        desktop.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
