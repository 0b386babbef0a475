"""What a caller puts in a document: the ``context`` schema and its validation.

``context`` is plain data (JSON-serialisable once cleaned)::

    {
        "title": "关于同意镇江精工轴承有限公司入库培育的通知",   # required
        "addressee": "镇江精工轴承有限公司",   # optional: 主送机关 (the colon is added)
        "body": [                              # required, at least one block
            "A paragraph, as a plain string.",
            {"type": "paragraph", "text": "The same, spelled out."},
            {"type": "heading", "level": 1, "text": "入库依据"},  # numbered 一、 / （一） / 1.
            {"type": "table", "columns": ["指标", "得分"], "rows": [["研发投入", 8]], "caption": "optional"},
        ],
        "attachments": ["培育企业名单"],        # optional: 附件 names (numbered when several)
        "signature": "镇江市工业和信息化局",    # optional: defaults to the issuer's name
        "note": "此件公开发布",                 # optional: 附注, printed in parentheses
        "copy_to": ["市财政局"],                # optional: 抄送 recipients
        "printed_by": "镇江市工业和信息化局办公室",  # optional: 印发机关, defaults to the issuer's office
    }

Headings are numbered by the layout; write only their text. Table cells may be
numbers or Decimals; they are stored as text.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from .exceptions import DocumentContentInvalid

TEXT_FIELDS = {"title": 200, "addressee": 300, "signature": 100, "note": 200, "printed_by": 100}
LIST_FIELDS = ("attachments", "copy_to")
KNOWN_FIELDS = {*TEXT_FIELDS, *LIST_FIELDS, "body"}
HEADING_LEVELS = (1, 2, 3)


def content_clean(context: dict) -> dict:
    """The cleaned ``context``, or :class:`DocumentContentInvalid` naming every problem."""
    problems: list[str] = []
    if not isinstance(context, dict):
        raise DocumentContentInvalid(_("The document content must be a dictionary."))
    cleaned = {}
    for name in sorted(set(context) - KNOWN_FIELDS):
        problems.append(_("unknown field “%(field)s”") % {"field": name})
    for name, limit in TEXT_FIELDS.items():
        cleaned[name] = _text(context.get(name, ""), name, limit, problems)
    if not cleaned["title"]:
        problems.append(_("“title” is required"))
    for name in LIST_FIELDS:
        cleaned[name] = _text_list(context.get(name, []), name, problems)
    cleaned["body"] = _body(context.get("body"), problems)
    if problems:
        raise DocumentContentInvalid(
            _("The document content is invalid: %(problems)s.") % {"problems": "; ".join(problems)}
        )
    return cleaned


def _text(value, where: str, limit: int, problems: list[str]) -> str:
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problems.append(_("“%(field)s” must be text") % {"field": where})
        return ""
    value = value.strip()
    if len(value) > limit:
        problems.append(_("“%(field)s” is longer than %(limit)s characters") % {"field": where, "limit": limit})
    return value


def _text_list(value, where: str, problems: list[str]) -> list[str]:
    if not isinstance(value, (list, tuple)):
        problems.append(_("“%(field)s” must be a list of text") % {"field": where})
        return []
    items = [_text(item, f"{where}[{index}]", 300, problems) for index, item in enumerate(value)]
    return [item for item in items if item]


def _body(value, problems: list[str]) -> list[dict]:
    if not isinstance(value, (list, tuple)) or not value:
        problems.append(_("“body” must be a non-empty list of blocks"))
        return []
    return [_block(block, f"body[{index}]", problems) for index, block in enumerate(value)]


def _block(block, where: str, problems: list[str]) -> dict:
    if isinstance(block, str):
        block = {"type": "paragraph", "text": block}
    if not isinstance(block, dict):
        problems.append(_("%(where)s must be text or a block") % {"where": where})
        return {}
    kind = block.get("type")
    if kind == "paragraph":
        return {"type": kind, "text": _required_text(block, where, problems)}
    if kind == "heading":
        level = block.get("level")
        if level not in HEADING_LEVELS:
            problems.append(_("%(where)s.level must be 1, 2 or 3") % {"where": where})
        return {"type": kind, "level": level, "text": _required_text(block, where, problems)}
    if kind == "table":
        return _table(block, where, problems)
    problems.append(_("%(where)s has an unknown type “%(type)s”") % {"where": where, "type": kind})
    return {}


def _required_text(block: dict, where: str, problems: list[str]) -> str:
    text = _text(block.get("text", ""), f"{where}.text", 5000, problems)
    if not text:
        problems.append(_("%(where)s.text is empty") % {"where": where})
    return text


def _table(block: dict, where: str, problems: list[str]) -> dict:
    columns = _text_list(block.get("columns", []), f"{where}.columns", problems)
    if not columns:
        problems.append(_("%(where)s.columns must name at least one column") % {"where": where})
    rows = block.get("rows", [])
    if not isinstance(rows, (list, tuple)):
        problems.append(_("%(where)s.rows must be a list of rows") % {"where": where})
        rows = []
    cleaned_rows = []
    for index, row in enumerate(rows):
        if not isinstance(row, (list, tuple)) or len(row) != len(columns):
            problems.append(
                _("%(where)s.rows[%(index)s] must have %(count)s cells")
                % {"where": where, "index": index, "count": len(columns)}
            )
            continue
        cleaned_rows.append(
            ["" if cell is None else _text(cell, f"{where}.rows[{index}]", 300, problems) for cell in row]
        )
    caption = _text(block.get("caption", ""), f"{where}.caption", 200, problems)
    return {"type": "table", "columns": columns, "rows": cleaned_rows, "caption": caption}
