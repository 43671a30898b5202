"""Comparable territories (issue 20 item 4): the urban–rural profile and the neighbour
métropole of real intercommunalités, computed from the official geography
(kb/content/likeness.py), and carried by the « Ma commune » name files."""
from __future__ import annotations

import pytest

from kb.content import cog as C


@pytest.mark.parametrize("siren, expected", [
    ("200023620", "I2"),  # CC de la Gascogne Toulousaine: intermediate, Toulouse (> 500 000) 27 km away
    ("242900314", "U0"),  # Brest Métropole: urban, no other métropole within 60 km
    ("244200770", "U2"),  # Saint-Étienne Métropole: urban, Lyon within 60 km
    ("200046977", "U1"),  # Métropole de Lyon: its nearest other métropole is Saint-Étienne (< 500 000)
    ("243300563", "U2"),  # CA Bassin d'Arcachon Sud: urban, Bordeaux Métropole within 60 km
    ("242900744", "R0"),  # CC Poher Communauté (Carhaix): rural, far from any métropole
    ("200060010", "R0"),  # Mauges Communauté: rural once its communes nouvelles count as their villages
])
def test_profile_and_neighbour_metropole_of_real_epci(siren, expected):
    from kb.content import likeness

    cog = C.load()
    assert likeness.traits(cog, cog.epci[siren]) == expected


def test_the_reason_is_said_in_words():
    from kb.content import likeness

    assert likeness.shared_words("R2", "R2") == [
        "profil rural", "voisine d'une métropole de plus de 500\u202f000 habitants"]
    assert likeness.shared_words("U0", "R0") == ["sans métropole à moins de 60\u202fkm"]
    assert likeness.shared_words("I1", "U2") == []


def test_name_files_carry_the_full_signature():
    """A commune's entry ends with its EPCI's kind, band, profile and neighbour class."""
    from kb.render import ma_commune

    entries = {e[1].split("|")[1]: e[1] for e in ma_commune._entries(C.load()) if e[2]}
    assert entries["32160"].endswith("|C1I2")  # L'Isle-Jourdain
    assert entries["42218"].endswith("|M3U2")  # Saint-Étienne
    assert entries["29024"].endswith("|C1R0")  # Carhaix-Plouguer
