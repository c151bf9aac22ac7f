from kipp.i18n import Msg, language_of, text_in


def test_indonesian_unless_english_comes_first() -> None:
    assert language_of(None) == "id"
    assert language_of("") == "id"
    assert language_of("fr, de") == "id"
    assert language_of("en-US,en;q=0.9") == "en"
    assert language_of("id-ID,id;q=0.9,en;q=0.8") == "id"
    assert language_of("en;q=0.5, id") == "id"
    assert language_of("id;q=0, en") == "en"
    assert language_of("en;q=bad, id;q=0.1") == "id"


def test_a_message_in_either_language() -> None:
    msg = Msg(id="Slot {n} bertabrakan", en="Slot {n} overlaps").format(n=3)
    assert text_in(msg, "id") == "Slot 3 bertabrakan"
    assert text_in(msg, "en") == "Slot 3 overlaps"
    assert str(msg) == "Slot 3 overlaps"
    assert text_in("Nama", "en") == "Nama"


def test_a_message_filled_with_a_message_keeps_each_language() -> None:
    kind = Msg(id="objek", en="an object")
    msg = Msg(id="diterima {kind}", en="got {kind}").format(kind=kind)
    assert (msg.id, msg.en) == ("diterima objek", "got an object")
