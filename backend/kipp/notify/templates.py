"""What each event tells people, in Indonesian and English: one function per letter.

Pure: plain values in (titles, names, datetimes with the competition's time zone), a
:class:`~kipp.notify.letters.Letter` out. The domains call these and hand the letter to
``kipp.notify.service.send`` in the transaction of the event itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from kipp.i18n import Lang, Msg
from kipp.notify.letters import Letter

MONTHS: dict[Lang, tuple[str, ...]] = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
# Indonesia's three zones by the names people use; any other zone shows its own abbreviation.
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def format_when(moment: datetime, timezone: str) -> Msg:
    """A moment as people read it where the competition runs: ``5 Oktober 2026 17.00 WITA``
    (Indonesian writes the time with a dot) and ``5 October 2026 17:00 WITA``."""
    local = moment.astimezone(ZoneInfo(timezone))
    zone = ZONE_NAMES.get(timezone) or local.strftime("%Z")

    def written(lang: Lang, separator: str) -> str:
        month = MONTHS[lang][local.month - 1]
        return (
            f"{local.day} {month} {local.year} {local.hour:02d}{separator}{local.minute:02d} {zone}"
        )

    return Msg(id=written("id", "."), en=written("en", ":"))


def proposal_path(innovation_id: int) -> str:
    return f"/innovator/proposals/{innovation_id}"


def proposal_submitted(
    *, innovation_id: int, title: str, competition_name: str, agency_name: str
) -> Letter:
    """The receipt of a submitted proposal, to its team and its agency's admins."""
    params = {"title": title, "competition": competition_name, "agency": agency_name}
    return Letter(
        kind="proposal_submitted",
        subject=Msg(id="Proposal diterima: {title}", en="Proposal received: {title}").format(
            **params
        ),
        body=Msg(
            id=(
                "Proposal «{title}» dari {agency} untuk {competition} sudah diajukan dan kami "
                "terima.\n\nTim Pelaksana akan memeriksa kelengkapan administrasinya; hasilnya "
                "akan kami kabarkan."
            ),
            en=(
                "The proposal “{title}” from {agency} for {competition} has been submitted and "
                "received.\n\nThe organising team will check it against the administrative "
                "checklist; we will tell you the outcome."
            ),
        ).format(**params),
        link=proposal_path(innovation_id),
    )


def administrative_decision(
    *,
    innovation_id: int,
    title: str,
    competition_name: str,
    passed: bool,
    notes: str,
    failed_checks: Sequence[str] = (),
) -> Letter:
    """The administrative decision on a proposal, with the reasons when it fails."""
    params = {"title": title, "competition": competition_name}
    if passed:
        subject = Msg(id="Lolos seleksi administrasi: {title}", en="Eligible: {title}")
        body = Msg(
            id=(
                "Proposal «{title}» untuk {competition} lolos seleksi administrasi dan maju ke "
                "tahap presentasi dan penilaian."
            ),
            en=(
                "The proposal “{title}” for {competition} passed the administrative check and "
                "goes on to the presentation and scoring stage."
            ),
        )
    else:
        subject = Msg(id="Tidak lolos seleksi administrasi: {title}", en="Not eligible: {title}")
        body = Msg(
            id=(
                "Proposal «{title}» untuk {competition} tidak lolos seleksi administrasi."
                "\n\nAlasan:\n{notes}"
            ),
            en=(
                "The proposal “{title}” for {competition} did not pass the administrative "
                "check.\n\nReasons:\n{notes}"
            ),
        )
    text = body.format(**params, notes=notes.strip())
    if failed_checks:
        listed = "\n".join(f"- {item}" for item in failed_checks)
        text = Msg(
            id=text.id + "\n\nButir yang tidak terpenuhi:\n" + listed,
            en=text.en + "\n\nChecklist items not met:\n" + listed,
        )
    elif passed and notes.strip():
        text = Msg(
            id=text.id + "\n\nCatatan: " + notes.strip(),
            en=text.en + "\n\nNotes: " + notes.strip(),
        )
    return Letter(
        kind="administrative_decision",
        subject=subject.format(**params),
        body=text,
        link=proposal_path(innovation_id),
    )


def judge_added(*, competition_name: str) -> Letter:
    """A judge joined a competition's panel."""
    return Letter(
        kind="judge_added",
        subject=Msg(
            id="Anda anggota Tim Penilai {competition}",
            en="You are on the judging panel of {competition}",
        ).format(competition=competition_name),
        body=Msg(
            id=(
                "Anda ditambahkan ke Tim Penilai {competition}. Inovasi yang harus Anda nilai "
                "akan muncul di daftar penilaian Anda saat tahap presentasi dibuka. Inovasi dari "
                "perangkat daerah Anda sendiri tidak akan ditugaskan kepada Anda."
            ),
            en=(
                "You were added to the judging panel of {competition}. The innovations you "
                "score appear in your list when the presentation stage opens. Innovations of "
                "your own agency are never assigned to you."
            ),
        ).format(competition=competition_name),
        link="/judge",
    )


def fill(template: Msg, **params: object) -> Msg:
    """``template`` with its placeholders filled; a ``Msg`` parameter (a date) gives each
    language its own words."""

    def values(lang: Lang) -> dict[str, object]:
        return {k: v.in_(lang) if isinstance(v, Msg) else v for k, v in params.items()}

    return Msg(id=template.id.format(**values("id")), en=template.en.format(**values("en")))


def scoring_opened(*, competition_name: str, closes_at: datetime, timezone: str) -> Letter:
    """The presentation stage is current: the panel may score until the window closes."""
    params = {"competition": competition_name, "when": format_when(closes_at, timezone)}
    return Letter(
        kind="scoring_opened",
        subject=fill(
            Msg(id="Penilaian dibuka: {competition}", en="Scoring is open: {competition}"),
            **params,
        ),
        body=fill(
            Msg(
                id=(
                    "Tahap presentasi dan penilaian {competition} sudah dibuka. Silakan nilai "
                    "inovasi yang ditugaskan kepada Anda sebelum {when}."
                ),
                en=(
                    "The presentation and scoring stage of {competition} is open. Please score "
                    "the innovations assigned to you before {when}."
                ),
            ),
            **params,
        ),
        link="/judge",
    )


def scoring_reminder(
    *, competition_name: str, closes_at: datetime, timezone: str, unfinished: int
) -> Letter:
    """A judge still has scoresheets that are not final as the scoring window nears its end."""
    params = {
        "competition": competition_name,
        "when": format_when(closes_at, timezone),
        "unfinished": unfinished,
    }
    return Letter(
        kind="scoring_reminder",
        subject=fill(
            Msg(
                id="Pengingat: penilaian {competition} ditutup {when}",
                en="Reminder: scoring for {competition} closes {when}",
            ),
            **params,
        ),
        body=fill(
            Msg(
                id=(
                    "Masih ada {unfinished} lembar nilai Anda untuk {competition} yang belum "
                    "final. Penilaian ditutup {when}; lembar yang belum dikirim tidak dihitung."
                ),
                en=(
                    "{unfinished} of your scoresheets for {competition} are not final yet. "
                    "Scoring closes {when}; sheets not submitted do not count."
                ),
            ),
            **params,
        ),
        link="/judge",
    )


def top_announced(
    *, competition_id: int, competition_name: str, top_n: int, titles: Sequence[str]
) -> Letter:
    """The TOP N is published, to every participant."""
    listed = "\n".join(f"{place}. {title}" for place, title in enumerate(titles, start=1))
    return Letter(
        kind="top_announced",
        subject=Msg(
            id="TOP {n} {competition} diumumkan",
            en="{competition}: the TOP {n} is announced",
        ).format(n=top_n, competition=competition_name),
        body=Msg(
            id=(
                "Hasil {competition} sudah diumumkan. TOP {n}:\n\n{listed}\n\nMasa uji publik "
                "(sanggahan) dimulai sekarang; hasil menjadi final setelahnya."
            ),
            en=(
                "The results of {competition} are announced. The TOP {n}:\n\n{listed}\n\nThe "
                "public objection period starts now; the result is final after it."
            ),
        ).format(competition=competition_name, n=top_n, listed=listed),
        link=f"/competitions/{competition_id}",
    )


def proposal_promoted(
    *,
    innovation_id: int,
    title: str,
    rank: int,
    from_competition: str,
    to_competition: str,
) -> Letter:
    """A proposal of the announced TOP N was carried up to the next level, to its team."""
    params = {"title": title, "rank": rank, "source": from_competition, "target": to_competition}
    return Letter(
        kind="proposal_promoted",
        subject=Msg(
            id="Diteruskan ke {target}: {title}", en="Promoted to {target}: {title}"
        ).format(**params),
        body=Msg(
            id=(
                "Selamat! Proposal «{title}» (peringkat {rank} di {source}) diteruskan ke "
                "{target} dan sudah diajukan atas nama tim Anda, lengkap dengan isian dan bukti "
                "dukungnya.\n\nPanitia tingkat berikutnya akan memeriksa kelengkapan "
                "administrasinya; hasilnya akan kami kabarkan."
            ),
            en=(
                "Congratulations! The proposal “{title}” (rank {rank} in {source}) has been "
                "promoted to {target} and submitted on your team's behalf, with its sections and "
                "evidence.\n\nThe next level's organising team will check it against its "
                "administrative checklist; we will tell you the outcome."
            ),
        ).format(**params),
        link=proposal_path(innovation_id),
    )


def objection_received(
    *, competition_id: int, competition_name: str, innovation_title: str, objector: str
) -> Letter:
    """A public objection was filed: the organising team must answer it."""
    params = {
        "competition": competition_name,
        "title": innovation_title,
        "objector": objector,
    }
    return Letter(
        kind="objection_received",
        subject=Msg(id="Sanggahan baru: {title}", en="New objection: {title}").format(**params),
        body=Msg(
            id=(
                "{objector} mengajukan sanggahan atas «{title}» dalam uji publik {competition}. "
                "Baca dan jawab sanggahan itu di halaman pengumuman."
            ),
            en=(
                "{objector} filed an objection to “{title}” in the public review of "
                "{competition}. Read and answer it on the announcement page."
            ),
        ).format(**params),
        link=f"/admin/competitions/{competition_id}/announcement",
    )


def objection_answered(
    *, competition_id: int, competition_name: str, innovation_title: str, answer: str
) -> Letter:
    """The organising team's answer to an objection, to the objector's address."""
    params = {"competition": competition_name, "title": innovation_title, "answer": answer}
    return Letter(
        kind="objection_answered",
        subject=Msg(
            id="Jawaban atas sanggahan Anda: {title}",
            en="The answer to your objection: {title}",
        ).format(**params),
        body=Msg(
            id=("Tim Pelaksana {competition} menjawab sanggahan Anda atas «{title}»:\n\n{answer}"),
            en=(
                "The organising team of {competition} answered your objection to “{title}”:"
                "\n\n{answer}"
            ),
        ).format(**params),
        link=f"/competitions/{competition_id}",
    )


def invitation(*, full_name: str, link: str, days: int) -> Letter:
    """A new account: set your own password from this single-use link (e-mail only)."""
    params = {"name": full_name, "days": days}
    return Letter(
        kind="invitation",
        subject=Msg(
            id="Undangan ke KIPP: atur kata sandi Anda",
            en="Your KIPP invitation: set your password",
        ),
        body=Msg(
            id=(
                "Halo {name},\n\nAkun KIPP sudah dibuat untuk Anda. Buka tautan di bawah untuk "
                "mengatur kata sandi Anda sendiri. Tautan ini hanya bisa dipakai sekali dan "
                "berlaku {days} hari."
            ),
            en=(
                "Hello {name},\n\nA KIPP account was created for you. Open the link below to "
                "set your own password. The link works once and for {days} days."
            ),
        ).format(**params),
        link=link,
        to_inbox=False,
    )


def password_reset(*, full_name: str, link: str, minutes: int) -> Letter:
    """A password reset someone asked for (e-mail only: it is useless in the inbox)."""
    params = {"name": full_name, "minutes": minutes}
    return Letter(
        kind="password_reset",
        subject=Msg(id="Atur ulang kata sandi KIPP", en="Reset your KIPP password"),
        body=Msg(
            id=(
                "Halo {name},\n\nAda permintaan untuk mengatur ulang kata sandi akun KIPP Anda. "
                "Buka tautan di bawah dalam {minutes} menit; tautan hanya bisa dipakai sekali."
                "\n\nJika Anda tidak memintanya, abaikan pesan ini: kata sandi Anda tidak berubah."
            ),
            en=(
                "Hello {name},\n\nSomeone asked to reset the password of your KIPP account. "
                "Open the link below within {minutes} minutes; it works once.\n\nIf you did not "
                "ask for this, ignore this message: your password stays as it is."
            ),
        ).format(**params),
        link=link,
        to_inbox=False,
    )


def sustainability_report_due(
    *, innovation_id: int, title: str, competition_name: str, year: int
) -> Letter:
    """A winner's report on ``year`` is due and missing: to its team and agency admins."""
    params = {"title": title, "competition": competition_name, "year": year}
    return Letter(
        kind="sustainability_report_due",
        subject=Msg(
            id="Laporan keberlanjutan {year} ditunggu: {title}",
            en="Sustainability report on {year} due: {title}",
        ).format(**params),
        body=Msg(
            id=(
                "«{title}», pemenang {competition}, belum melaporkan keberlanjutannya untuk "
                "tahun {year}. Ceritakan apakah inovasi masih berjalan, sumber anggarannya, "
                "regulasi yang menaunginya, dan berapa orang yang dilayani, lalu lampirkan "
                "buktinya."
            ),
            en=(
                "“{title}”, a winner of {competition}, has not reported on its sustainability "
                "in {year} yet. Tell whether it still runs, who pays for it, the regulation "
                "behind it and how many people it served, and attach the evidence."
            ),
        ).format(**params),
        link=proposal_path(innovation_id),
    )


def sustainability_report_filed(
    *, competition_id: int, title: str, agency_name: str, year: int, running: bool
) -> Letter:
    """A winner filed its report on ``year``: to the organising team."""
    state = (
        Msg(id="masih berjalan", en="still running")
        if running
        else Msg(id="sudah berhenti", en="stopped")
    )
    params = {"title": title, "agency": agency_name, "year": year, "state": state}
    return Letter(
        kind="sustainability_report_filed",
        subject=fill(
            Msg(
                id="Laporan keberlanjutan {year}: {title}",
                en="Sustainability report on {year}: {title}",
            ),
            **params,
        ),
        body=fill(
            Msg(
                id="{agency} melaporkan bahwa «{title}» pada tahun {year} {state}.",
                en="{agency} reports that “{title}” was {state} in {year}.",
            ),
            **params,
        ),
        link=f"/admin/competitions/{competition_id}/sustainability",
    )


def innovation_replicated(*, innovation_id: int, title: str, adopter: str, name: str) -> Letter:
    """Someone recorded a replication of an innovation: to its team and agency admins."""
    params = {"title": title, "adopter": adopter, "name": name}
    return Letter(
        kind="innovation_replicated",
        subject=Msg(id="«{title}» direplikasi", en="“{title}” was replicated").format(**params),
        body=Msg(
            id="{adopter} mereplikasi «{title}» sebagai «{name}».",
            en="{adopter} replicated “{title}” as “{name}”.",
        ).format(**params),
        link=proposal_path(innovation_id),
    )
