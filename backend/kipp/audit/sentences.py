"""An audit event as people read it: one sentence in Indonesian and English, and only the
fields that changed, before → after, with labels instead of field names.

Pure: the names of the people and objects an event mentions are looked up by the caller and
passed in (:class:`EventFacts`); nothing here reads the database. The log's stored rows (and so
the hash chain) stay as they are: this renders from what is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from kipp.i18n import Msg, Text

_MAX_VALUE = 200  # characters of one value shown (a whole proposal section is not a change log)

STAGE_LABELS: Final = {
    "submission": Msg(id="Pengajuan", en="Submission"),
    "administrative": Msg(id="Seleksi administrasi", en="Administrative selection"),
    "presentation": Msg(id="Penilaian", en="Scoring"),
    "nomination": Msg(id="Penentuan nominasi", en="Nomination"),
    "announcement": Msg(id="Pengumuman", en="Announcement"),
}

STATUS_LABELS: Final = {
    "draft": Msg(id="draf", en="draft"),
    "submitted": Msg(id="terkirim", en="submitted"),
    "eligible": Msg(id="lolos administrasi", en="eligible"),
    "ineligible": Msg(id="tidak lolos administrasi", en="ineligible"),
    "nominated": Msg(id="nominasi", en="nominated"),
    "not_nominated": Msg(id="tidak masuk nominasi", en="not nominated"),
    "winner": Msg(id="pemenang", en="winner"),
    "withdrawn": Msg(id="ditarik", en="withdrawn"),
    "final": Msg(id="final", en="final"),
    "running": Msg(id="masih berjalan", en="running"),
    "stopped": Msg(id="berhenti", en="stopped"),
}

ENTITY_LABELS: Final = {
    "competition": Msg(id="kompetisi", en="competition"),
    "agency": Msg(id="perangkat daerah", en="agency"),
    "user": Msg(id="akun", en="account"),
    "innovation": Msg(id="proposal", en="proposal"),
    "attachment": Msg(id="bukti dukung", en="evidence file"),
    "scoresheet": Msg(id="lembar nilai", en="scoresheet"),
    "nomination": Msg(id="keputusan TOP N", en="TOP N decision"),
    "objection": Msg(id="keberatan", en="objection"),
    "conflict_of_interest": Msg(id="konflik kepentingan", en="conflict of interest"),
    "import": Msg(id="impor", en="import"),
    "outbox_message": Msg(id="e-mail", en="e-mail"),
    "sustainability_report": Msg(id="laporan keberlanjutan", en="sustainability report"),
    "sustainability_evidence": Msg(id="bukti laporan keberlanjutan", en="report evidence"),
    "replication": Msg(id="replikasi", en="replication"),
    "organisation": Msg(id="organisasi", en="organisation"),
}

FIELD_LABELS: Final = {
    "name": Msg(id="Nama", en="Name"),
    "code": Msg(id="Kode", en="Code"),
    "title": Msg(id="Judul", en="Title"),
    "status": Msg(id="Status", en="Status"),
    "current_stage": Msg(id="Tahap", en="Stage"),
    "early": Msg(id="Lebih awal dari jadwal", en="Before the window ended"),
    "forced": Msg(id="Dipaksakan", en="Forced"),
    "announced_at": Msg(id="Diumumkan", en="Announced"),
    "finalised_at": Msg(id="Hasil final", en="Finalised"),
    "starts_at": Msg(id="mulai", en="starts"),
    "ends_at": Msg(id="berakhir", en="ends"),
    "full_name": Msg(id="Nama lengkap", en="Full name"),
    "email": Msg(id="Surel", en="E-mail"),
    "role": Msg(id="Peran", en="Role"),
    "agency_id": Msg(id="Perangkat daerah", en="Agency"),
    "is_active": Msg(id="Aktif", en="Active"),
    "password": Msg(id="Kata sandi", en="Password"),
    "year": Msg(id="Tahun", en="Year"),
    "level": Msg(id="Tingkat", en="Level"),
    "region": Msg(id="Wilayah", en="Region"),
    "slug": Msg(id="Slug", en="Slug"),
    "description": Msg(id="Deskripsi", en="Description"),
    "timezone": Msg(id="Zona waktu", en="Time zone"),
    "top_n": Msg(id="Jumlah TOP N", en="TOP N"),
    "honourable_mentions": Msg(id="Harapan", en="Honourable mentions"),
    "min_judges": Msg(id="Juri minimal", en="Minimum judges"),
    "aggregation_method": Msg(id="Metode agregasi", en="Aggregation method"),
    "objection_days": Msg(id="Hari masa sanggah", en="Objection days"),
    "agency_quota": Msg(id="Kuota per perangkat daerah", en="Agency quota"),
    "published": Msg(id="Terbit", en="Published"),
    "summary": Msg(id="Ringkasan", en="Summary"),
    "group": Msg(id="Kelompok", en="Group"),
    "category": Msg(id="Kategori", en="Category"),
    "video_url": Msg(id="Video", en="Video"),
    "started_on": Msg(id="Mulai diterapkan", en="In use since"),
    "team": Msg(id="Tim", en="Team"),
    "sections": Msg(id="Bagian", en="Section"),
    "scores": Msg(id="Nilai", en="Score"),
    "comment": Msg(id="Komentar", en="Comment"),
    "notes": Msg(id="Catatan", en="Notes"),
    "checks": Msg(id="Periksa", en="Check"),
    "criteria": Msg(id="Rubrik", en="Rubric"),
    "user_ids": Msg(id="Juri", en="Judges"),
    "innovation_ids": Msg(id="TOP N", en="TOP N"),
    "honourable_mention_ids": Msg(id="Harapan", en="Honourable mentions"),
    "method": Msg(id="Metode", en="Method"),
    "justification": Msg(id="Alasan", en="Justification"),
    "windows": Msg(id="Jadwal", en="Window"),
    "proposal_template": Msg(id="Templat proposal", en="Proposal template"),
    "admin_checklist": Msg(id="Daftar periksa", en="Checklist"),
    "stages": Msg(id="Jadwal tahapan", en="Stage windows"),
    "statuses": Msg(id="Status proposal", en="Status of proposal"),
    "budget_source": Msg(id="Sumber anggaran", en="Budget source"),
    "regulation": Msg(id="Regulasi", en="Regulation"),
    "people_served": Msg(id="Penerima manfaat", en="People served"),
    "adopter": Msg(id="Pereplikasi", en="Adopter"),
    "changes": Msg(id="Perubahan", en="Changes"),
}

# Kept in the log for the record, too long or too technical to read as a change.
_HIDDEN_FIELDS: Final = frozenset({"overridden", "sha256", "content_type"})

_SYSTEM = Msg(id="Sistem", en="The system")

_SENTENCES: Final = {
    "objection.answer": Msg(id="{actor} menjawab {object}", en="{actor} answered {object}"),
    "outbox.retry": Msg(id="{actor} mengirim ulang {object}", en="{actor} sent {object} again"),
    "schedule.update": Msg(
        id="{actor} mengubah jadwal presentasi {object}",
        en="{actor} changed the presentation schedule of {object}",
    ),
    "user.invite": Msg(
        id="{actor} mengirim undangan ke {object}", en="{actor} sent an invitation to {object}"
    ),
    "user.password_reset_request": Msg(
        id="Tautan atur ulang kata sandi dikirim ke {object}",
        en="A password-reset link was sent to {object}",
    ),
    "user.password_set": Msg(
        id="{object} menetapkan kata sandi dari tautan e-mail",
        en="{object} set a password from an e-mail link",
    ),
    "organisation.create": Msg(
        id="{actor} menambahkan organisasi {object}", en="{actor} added the organisation {object}"
    ),
    "organisation.update": Msg(
        id="{actor} mengubah organisasi {object}", en="{actor} changed the organisation {object}"
    ),
    "agency.create": Msg(
        id="{actor} menambahkan perangkat daerah {object}", en="{actor} added the agency {object}"
    ),
    "agency.update": Msg(
        id="{actor} mengubah perangkat daerah {object}", en="{actor} changed the agency {object}"
    ),
    "agency.delete": Msg(
        id="{actor} menghapus perangkat daerah {object}", en="{actor} deleted the agency {object}"
    ),
    "user.create": Msg(
        id="{actor} membuat akun {object}", en="{actor} created the account of {object}"
    ),
    "user.update": Msg(
        id="{actor} mengubah akun {object}", en="{actor} changed the account of {object}"
    ),
    "user.unlock": Msg(
        id="{actor} membuka kunci akun {object}", en="{actor} unlocked the account of {object}"
    ),
    "competition.create": Msg(
        id="{actor} membuat kompetisi {object}", en="{actor} created the competition {object}"
    ),
    "competition.update": Msg(
        id="{actor} mengubah pengaturan {object}", en="{actor} changed the settings of {object}"
    ),
    "competition.advance": Msg(
        id="{actor} memindahkan {object} ke tahap {stage}",
        en="{actor} moved {object} to the {stage} stage",
    ),
    "competition.finalise": Msg(
        id="{actor} menetapkan hasil akhir {object}", en="{actor} finalised the results of {object}"
    ),
    "innovation.promote": Msg(
        id="{actor} meneruskan {object} ke tingkat berikutnya",
        en="{actor} promoted {object} to the next level",
    ),
    "attachment.create": Msg(
        id="{actor} mengunggah bukti dukung {object}", en="{actor} uploaded the evidence {object}"
    ),
    "attachment.delete": Msg(
        id="{actor} menghapus bukti dukung {object}", en="{actor} deleted the evidence {object}"
    ),
    "sustainability_report.create": Msg(
        id="{actor} mengisi laporan keberlanjutan {object}",
        en="{actor} filed a sustainability report of {object}",
    ),
    "sustainability_report.update": Msg(
        id="{actor} mengubah laporan keberlanjutan {object}",
        en="{actor} amended a sustainability report of {object}",
    ),
    "sustainability_evidence.create": Msg(
        id="{actor} mengunggah bukti laporan keberlanjutan {object}",
        en="{actor} uploaded evidence for a sustainability report of {object}",
    ),
    "sustainability_evidence.delete": Msg(
        id="{actor} menghapus bukti laporan keberlanjutan {object}",
        en="{actor} deleted evidence of a sustainability report of {object}",
    ),
    "replication.create": Msg(
        id="{actor} mencatat replikasi {object}", en="{actor} recorded a replication of {object}"
    ),
    "replication.delete": Msg(
        id="{actor} menghapus catatan replikasi {object}",
        en="{actor} removed a replication of {object}",
    ),
    "innovation.create": Msg(
        id="{actor} membuat proposal {object}", en="{actor} created the proposal {object}"
    ),
    "innovation.update": Msg(
        id="{actor} mengubah proposal {object}", en="{actor} changed the proposal {object}"
    ),
    "innovation.submit": Msg(
        id="{actor} mengirim proposal {object}", en="{actor} submitted the proposal {object}"
    ),
    "innovation.withdraw": Msg(
        id="{actor} menarik proposal {object}", en="{actor} withdrew the proposal {object}"
    ),
    "innovation.administrative_review": Msg(
        id="{actor} menyatakan {object} {status} pada seleksi administrasi",
        en="{actor} found {object} {status} in the administrative selection",
    ),
    "innovation.administrative_review.bulk": Msg(
        id="{actor} memutuskan seleksi administrasi {count} proposal di {object}",
        en="{actor} decided the administrative selection of {count} proposal(s) in {object}",
    ),
    "innovation.win": Msg(
        id="{actor} menetapkan {object} sebagai pemenang",
        en="{actor} declared {object} a winner",
    ),
    "innovation.status.bulk": Msg(
        id="{actor} mengubah status {count} proposal di {object}",
        en="{actor} changed the status of {count} proposal(s) in {object}",
    ),
    "import": Msg(
        id="{actor} mengimpor {kind}: {created} baru, {updated} diubah",
        en="{actor} imported {kind}: {created} new, {updated} changed",
    ),
    "objection.file": Msg(
        id="{actor} mengajukan keberatan atas {object}",
        en="{actor} filed an objection to {object}",
    ),
    "nomination.save": Msg(
        id="{actor} mencatat keputusan TOP N {object}",
        en="{actor} recorded the TOP N decision of {object}",
    ),
    "nomination.replace": Msg(
        id="{actor} mengganti keputusan TOP N {object}",
        en="{actor} replaced the TOP N decision of {object}",
    ),
    "scoresheet.save": Msg(
        id="{actor} menyimpan lembar nilai untuk {object}",
        en="{actor} saved the scoresheet for {object}",
    ),
    "scoresheet.submit": Msg(
        id="{actor} memfinalkan lembar nilai untuk {object}",
        en="{actor} made the scoresheet for {object} final",
    ),
    "scoresheet.reopen": Msg(
        id="{actor} membuka kembali lembar nilai untuk {object}",
        en="{actor} reopened the scoresheet for {object}",
    ),
    "rubric.update": Msg(
        id="{actor} mengubah rubrik penilaian {object}",
        en="{actor} changed the scoring rubric of {object}",
    ),
    "panel.update": Msg(
        id="{actor} mengubah panel juri {object}", en="{actor} changed the judge panel of {object}"
    ),
    "conflict.create": Msg(
        id="{actor} mencatat konflik kepentingan atas {object}",
        en="{actor} recorded a conflict of interest on {object}",
    ),
    "demo.simulate_judging": Msg(
        id="{actor} mensimulasikan penilaian demo di {object}",
        en="{actor} simulated the demo judging in {object}",
    ),
}
_FALLBACK = Msg(id="{actor}: {action} pada {object}", en="{actor}: {action} on {object}")
_FORCED = Msg(id=" (dipaksakan)", en=" (forced)")
_IMPORT_KINDS: Final = {
    "agencies": Msg(id="perangkat daerah", en="agencies"),
    "users": Msg(id="akun", en="accounts"),
    "innovations": Msg(id="proposal", en="proposals"),
}


@dataclass(frozen=True)
class EventFacts:
    """What one stored event says, with the names looked up: ``actor`` the actor's name (None:
    the system or a member of the public), ``object_label`` the object's name or title."""

    action: str
    entity_type: str
    entity_id: int | None
    actor: str | None
    object_label: str | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    # Titles of the proposals a bulk change lists by id (``statuses.<id>``).
    titles: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """One changed field: its label and the values before and after, as text."""

    field: str
    label: Msg
    before: Text | None
    after: Text | None


def _both(template: Msg, **params: Text | int) -> Msg:
    """``template`` filled per language: a bilingual parameter gives each language its text."""

    def fill(lang: str) -> str:
        values = {
            k: (v.en if lang == "en" else v.id) if isinstance(v, Msg) else str(v)
            for k, v in params.items()
        }
        return (template.en if lang == "en" else template.id).format(**values)

    return Msg(id=fill("id"), en=fill("en"))


def object_text(facts: EventFacts) -> Text:
    """The object's label, or its kind and id when it has no name (e.g. since deleted)."""
    if facts.object_label:
        return facts.object_label
    kind = ENTITY_LABELS.get(facts.entity_type, Msg(id=facts.entity_type, en=facts.entity_type))
    suffix = f" #{facts.entity_id}" if facts.entity_id is not None else ""
    return Msg(id=kind.id + suffix, en=kind.en + suffix)


def sentence(facts: EventFacts) -> Msg:
    """The event as one sentence in both languages ("Tim Pelaksana memindahkan … ke tahap …")."""
    after = facts.after or {}
    actor: Text = facts.actor or _SYSTEM
    if facts.action == "objection.file" and facts.actor is None and after.get("name"):
        actor = str(after["name"])
    params: dict[str, Text | int] = {"actor": actor, "object": object_text(facts)}
    if facts.action.startswith("import."):
        kind = facts.action.removeprefix("import.")
        params.update(
            kind=_IMPORT_KINDS.get(kind, Msg(id=kind, en=kind)),
            created=_count(after.get("created")),
            updated=_count(after.get("updated")),
        )
        return _both(_SENTENCES["import"], **params)
    action = facts.action
    if action == "innovation.administrative_review" and "statuses" in after:
        action += ".bulk"
    template = _SENTENCES.get(action)
    if template is None:
        return _both(_FALLBACK, action=facts.action, **params)
    if facts.action == "competition.advance":
        stage = str(after.get("current_stage", ""))
        params["stage"] = STAGE_LABELS.get(stage, Msg(id=stage, en=stage))
    elif action in ("innovation.status.bulk", "innovation.administrative_review.bulk"):
        statuses = after.get("statuses")
        params["count"] = len(statuses) if isinstance(statuses, Mapping) else 0
    elif action == "innovation.administrative_review":
        status = str(after.get("status", ""))
        params["status"] = STATUS_LABELS.get(status, Msg(id=status, en=status))
    text = _both(template, **params)
    if after.get("forced"):
        text = Msg(id=text.id + _FORCED.id, en=text.en + _FORCED.en)
    return text


def _count(value: Any) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, list | dict):
        return len(value)
    return 0


def _flatten(values: Mapping[str, Any], prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """Nested records as dotted paths (``windows.presentation.ends_at``), two levels deep."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        path = f"{prefix}{key}"
        if _keyed_list(value):  # stages, criteria: one entry per key
            value = {
                str(item["key"]): {k: v for k, v in item.items() if k != "key"} for item in value
            }
        if isinstance(value, Mapping) and depth < 2:
            flat.update(_flatten(value, f"{path}.", depth + 1))
        else:
            flat[path] = value
    return flat


def _keyed_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, Mapping) and "key" in item for item in value)
    )


def field_label(path: str) -> Msg:
    """``windows.presentation.ends_at`` → "Jadwal Penilaian: berakhir"; unknown names read as
    themselves, underscores as spaces."""
    parts = path.split(".")
    head = FIELD_LABELS.get(parts[0], Msg(id=parts[0].replace("_", " "), en=parts[0]))
    if len(parts) == 1:
        return head
    if parts[0] in ("windows", "stages") and len(parts) == 3:
        stage = STAGE_LABELS.get(parts[1], Msg(id=parts[1], en=parts[1]))
        what = FIELD_LABELS.get(parts[2], Msg(id=parts[2], en=parts[2]))
        return Msg(id=f"{head.id} {stage.id}: {what.id}", en=f"{stage.en} {head.en}: {what.en}")
    rest = ".".join(parts[1:])
    return Msg(id=f"{head.id} {rest}", en=f"{head.en} {rest}")


def value_text(path: str, value: Any) -> Text | None:
    """A stored value as text: labels for stages and statuses, yes/no, lists joined, long
    texts cut. Times stay ISO 8601 (the reader shows them in local time)."""
    if value is None:
        return None
    leaf = path.rsplit(".", 1)[-1]
    if isinstance(value, bool):
        return Msg(id="ya", en="yes") if value else Msg(id="tidak", en="no")
    if leaf == "current_stage" and value in STAGE_LABELS:
        return STAGE_LABELS[value]
    if (leaf == "status" or path.startswith("statuses.")) and value in STATUS_LABELS:
        return STATUS_LABELS[value]
    if isinstance(value, list):
        text = ", ".join(str(v.get("key", v)) if isinstance(v, Mapping) else str(v) for v in value)
    elif isinstance(value, Mapping):
        text = ", ".join(f"{k}: {v}" for k, v in value.items())
    else:
        text = str(value)
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def changes(facts: EventFacts) -> list[Change]:
    """Only what changed, before → after. A creation or deletion (one side only) is said by
    the sentence; its whole record is not repeated."""
    if facts.before is None or facts.after is None:
        return []
    before, after = _flatten(facts.before), _flatten(facts.after)
    out: list[Change] = []
    for path in [*before, *(p for p in after if p not in before)]:
        if path.split(".", 1)[0] in _HIDDEN_FIELDS or path.rsplit(".", 1)[-1] in _HIDDEN_FIELDS:
            continue
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        label = field_label(path)
        head, _, rest = path.partition(".")
        if head == "statuses" and rest.isdigit() and int(rest) in facts.titles:
            title = facts.titles[int(rest)]
            label = Msg(id=f"Status {title}", en=f"Status of {title}")
        out.append(Change(path, label, value_text(path, old), value_text(path, new)))
    return out
