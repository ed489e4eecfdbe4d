from standin.text import repair_mojibake


def test_mojibake_is_repaired_and_good_text_kept() -> None:
    assert repair_mojibake("DÃ©jÃ\u00a0 Vu") == "Déjà Vu"  # à is C3 A0; A0 read as NBSP
    assert repair_mojibake("AmÃ©lie") == "Amélie"
    assert repair_mojibake("Déjà Vu") == "Déjà Vu"  # already right: does not round-trip
    assert repair_mojibake("Heat") == "Heat"
    assert repair_mojibake("東京物語") == "東京物語"
