"""The notice-and-takedown letter: a PDF (reportlab) and an e-mail (.eml) with it attached.

It says why the content is illegal, lists every URL with when it was seen, its IP address,
network, SHA-256 and assessment; asks for removal and for preservation of evidence; carries
the hotline's contact and the signing supervisor. It never carries an image."""

import io
import json
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.errors import InvalidInput
from app.workspace.notices import NoticeUrl


@dataclass(frozen=True)
class Letterhead:
    name: str
    address: str
    email: str
    phone: str
    logo: str
    legal_text: str


def template(language: str) -> dict[str, Any]:
    """The letter's words in `language` (ISO 639-1), English where there is no template."""
    folder = resources.files("resources") / "letters"
    chosen = folder / f"{language.lower()}.json"
    if not chosen.is_file():
        chosen = folder / "en.json"
    return json.loads(chosen.read_text(encoding="utf-8"))


def languages() -> list[str]:
    folder = resources.files("resources") / "letters"
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir()
                  if p.name.endswith(".json"))


NEEDS_LEGAL_TEXT = ("URLs assessed as illegal under national law need the provision they "
                    "break: set notice.legal_text first (`hotline settings set "
                    "notice.legal_text \"<the law and article>\"`)")


def _legal(words: dict[str, Any], head: Letterhead, urls: list[NoticeUrl]) -> str:
    """The legal basis, row by row: baseline rows cite INTERPOL's Baseline, national rows the
    provision the hotline configured. A letter never claims more than its rows support."""
    verdicts = {u.verdict for u in urls}
    if "national" in verdicts and not head.legal_text.strip():
        raise InvalidInput(NEEDS_LEGAL_TEXT)
    if verdicts == {"baseline"}:
        return str(words["legal_baseline"])
    if verdicts == {"national"}:
        return str(words["legal_national"].format(legal_text=head.legal_text))
    return " ".join([words["legal_rows_baseline"].format(mark=words["verdict_baseline"]),
                     words["legal_rows_national"].format(mark=words["verdict_national"],
                                                         legal_text=head.legal_text)])


def render_pdf(head: Letterhead, reference: str, date: str, provider: dict[str, str],
               urls: list[NoticeUrl], signer: str, language: str) -> bytes:
    words = template(language)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8.5)
    body = styles["BodyText"]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=16 * mm,
                            title=words["subject"].format(reference=reference),
                            author=head.name)
    story: list[Any] = []
    if head.logo and Path(head.logo).is_file():
        story.append(Image(head.logo, width=30 * mm, height=15 * mm, kind="proportional"))
    story.append(Paragraph(f"<b>{escape(head.name)}</b><br/>"
                           f"{escape(head.address).replace(chr(10), '<br/>')}", body))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph("<br/>".join(escape(x) for x in (
        provider["name"], provider.get("address", ""), provider["email"]) if x), body))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(escape(words["reference"].format(reference=reference)) + "<br/>"
                           + escape(words["date"].format(date=date)), body))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(f"<b>{escape(words['subject'].format(reference=reference))}</b>",
                           body))
    story.append(Paragraph(escape(words["greeting"].format(provider=provider["name"])), body))
    story.append(Paragraph(escape(words["intro"].format(hotline=head.name)), body))
    story.append(Paragraph(escape(_legal(words, head, urls)), body))
    story.append(Paragraph(escape(words["table_heading"].format(count=len(urls))), body))
    rows = [[Paragraph(f"<b>{escape(c)}</b>", small) for c in words["columns"]]]
    for u in urls:
        verdict = words.get(f"verdict_{u.verdict}", u.verdict)
        network = f"AS{u.asn} {u.organisation or ''}".strip() if u.asn else "-"
        rows.append([Paragraph(escape(u.url), small), Paragraph(u.seen[:19], small),
                     Paragraph(escape(u.ip or "-"), small), Paragraph(escape(network), small),
                     Paragraph(u.sha256, small), Paragraph(escape(str(verdict)), small)])
    table = Table(rows, colWidths=[52 * mm, 22 * mm, 20 * mm, 25 * mm, 35 * mm, 20 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8"))]))
    story += [Spacer(1, 2 * mm), table, Spacer(1, 4 * mm)]
    for key in ("request", "preserve", "good_faith"):
        story.append(Paragraph(escape(words[key]), body))
    story.append(Paragraph(escape(words["contact"].format(email=head.email, phone=head.phone)),
                           body))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(escape(words["closing"].format(hotline=head.name, signer=signer)),
                           body))
    doc.build(story)
    return out.getvalue()


def email_text(head: Letterhead, reference: str, provider: dict[str, str],
               urls: list[NoticeUrl], signer: str, language: str) -> tuple[str, str]:
    """(subject, plain text) of the e-mail that carries the letter."""
    words = template(language)
    lines = [words["greeting"].format(provider=provider["name"]), "",
             words["intro"].format(hotline=head.name), "", _legal(words, head, urls), "",
             words["table_heading"].format(count=len(urls)), ""]
    for u in urls:
        lines.append(f"- {u.url}  seen {u.seen[:19]}Z  IP {u.ip or '-'}  "
                     f"AS{u.asn or '-'}  SHA-256 {u.sha256}")
    lines += ["", words["request"], words["preserve"], words["good_faith"], "",
              words["contact"].format(email=head.email, phone=head.phone).strip(),
              words["closing"].format(hotline=head.name, signer=signer)]
    return words["subject"].format(reference=reference), "\n".join(lines) + "\n"


def render_eml(head: Letterhead, reference: str, provider: dict[str, str],
               urls: list[NoticeUrl], signer: str, language: str, pdf: bytes) -> bytes:
    subject, text = email_text(head, reference, provider, urls, signer, language)
    message = EmailMessage()
    message["From"] = f"{head.name} <{head.email}>" if head.email else head.name
    message["To"] = provider["email"]
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=(head.email.split("@")[-1] or None)
                                       if "@" in head.email else None)
    message["X-Hotline-Reference"] = reference
    message.set_content(text)
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename=f"{reference}.pdf")
    return bytes(message)
