"""The item's details under the viewer, as HTML: what it is, how it matched, where it was
seen, its hashes, and the verdicts given so far only when the reader is not blind."""

from app.desk.review import ItemView
from app.ui.video_strip import clock


def details_html(view: ItemView) -> str:
    lines = [f"<b>Item {view.id}</b> &mdash; {view.state}, {view.status}, {view.mime}, "
             f"{view.size:,} bytes" + (f", {view.width}x{view.height}" if view.width else "")
             + (f", {clock(view.duration)} long" if view.duration else "")]
    if view.machine_verdict:
        lines.append(f"<b>Machine verdict:</b> {view.machine_verdict} (exact hit on "
                     f"{view.machine_list}); press C to confirm it")
    for m in view.matches[:5]:
        where = "a workspace item" if m.list_name == "workspace" else m.list_name
        lines.append(f"Match: {where}, {m.how}, "
                     f"verdict {m.verdict or '-'}, category {m.category or '-'}"
                     + (f" &mdash; <i>{m.note}</i>" if m.note else ""))
    for s in view.sightings[:5]:
        lines.append(f"Seen {s.seen[:19]}Z at {s.source} &mdash; "
                     f"{s.ip or 'no IP'} {s.country or ''} {s.organisation or ''}")
    lines.append(f"MD5 {view.md5}<br>SHA-1 {view.sha1}<br>SHA-256 {view.sha256}")
    if view.pdq:
        lines.append(f"PDQ {view.pdq} (quality {view.pdq_quality})")
    if view.blind and view.next_round >= 2:
        lines.append("<i>Blind review: earlier verdicts are hidden until you give yours.</i>")
    for a in view.assessments or []:
        lines.append(f"Round {a.round} by {a.user}: <b>{a.verdict}</b> {a.note}")
    if not view.may_assess:
        lines.append(f"<i>{view.why_not}</i>")
    return "<br>".join(lines)

