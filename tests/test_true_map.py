"""The map puts places where they are (kb.render.geo.projection), and every located
partner of a case is drawn, named and linked (built fixture site)."""
from __future__ import annotations

import math

import pytest

from kb.content import cog as C
from conftest import NODE_MODULES
from kb.render import geo

MAX_KM = 10.0
GEOMETRY = geo.load_geometry(NODE_MODULES)


def _segment_distance(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _km_to_boundary(point, dep: geo.Departement, lat: float) -> float:
    units = min(_segment_distance(point, r[k - 1], r[k]) for r in dep.rings for k in range(len(r)))
    return units / geo.projection(NODE_MODULES).units_per_km(lat)


# places on a coast or a border: each must land on its département's outline
@pytest.mark.parametrize("name, dep, lat, lon", [
    ("Pointe Saint-Mathieu", "29", 48.3297, -4.7717),
    ("Pointe du Raz", "29", 48.0389, -4.7389),
    ("le Rhin à Strasbourg", "67", 48.5686, 7.8006),
    ("Lauterbourg", "67", 48.9606, 8.2311),
    ("Bray-Dunes", "59", 51.0858, 2.5161),
    ("Cerbère", "66", 42.4420, 3.1680),
    ("Hendaye", "64", 43.3720, -1.7750),
    ("Menton", "06", 43.7760, 7.5040),
])
def test_coast_and_border_places_land_on_the_outline(name, dep, lat, lon):
    geometry = geo.load_geometry(NODE_MODULES)
    point = geo.projection(NODE_MODULES)(lat, lon)
    assert _km_to_boundary(point, geometry.departements[dep], lat) < MAX_KM, name


def _bbox_share(point, dep: geo.Departement):
    x0, y0, x1, y1 = dep.bbox
    return (point[0] - x0) / (x1 - x0), (point[1] - y0) / (y1 - y0)


def test_brest_on_the_west_tip_of_finistere():
    brest = C.load().get("29019")
    point = geo.project(brest.lat, brest.lon, "29", GEOMETRY)
    dep = GEOMETRY.departements["29"]
    # west of the département's centre (where dots used to sit) by more than 20 km, on the coast
    assert (dep.centroid[0] - point[0]) / geo.projection(NODE_MODULES).units_per_km(brest.lat) > 20
    assert _km_to_boundary(point, GEOMETRY.departements["29"], brest.lat) < MAX_KM


def test_lacaune_in_the_south_east_of_tarn():
    lacaune = C.load().get("81124")
    share_x, share_y = _bbox_share(geo.project(lacaune.lat, lacaune.lon, "81", GEOMETRY), GEOMETRY.departements["81"])
    assert share_x > 0.6 and share_y > 0.55


def test_strasbourg_by_the_rhine():
    strasbourg = C.load().get("67482")
    point = geo.project(strasbourg.lat, strasbourg.lon, "67", GEOMETRY)
    dep = GEOMETRY.departements["67"]
    assert _km_to_boundary(point, dep, strasbourg.lat) < MAX_KM
    assert (point[0] - dep.centroid[0]) / geo.projection(NODE_MODULES).units_per_km(strasbourg.lat) > 15


def test_overseas_places_land_in_their_inset():
    geometry = geo.load_geometry(NODE_MODULES)
    inset = geo.insets(geometry)["974"]
    x, y = geo.project(-20.8823, 55.4504, "974", GEOMETRY)  # Saint-Denis, north of La Réunion
    assert inset.x < x < inset.x + inset.width and inset.y < y < inset.y + inset.height / 2 + 8


def test_flagship_case_map_draws_both_partners_named_and_linked(fixture_site):
    main = fixture_site.main("cooperations/brest-centre-bretagne/")
    svg = main.select_one("figure.kb-map--case svg")
    markers = svg.select(".kb-map__markers a")
    assert len(markers) == 2
    assert [t.get_text() for t in svg.select(".kb-map__labels text")] == ["Brest Métropole",  # official name (not the fiche's « Brest métropole »)
                                                                          "Pays du Centre Ouest Bretagne"]
    assert len(svg.select(".kb-map__links line")) == 1
    assert main.select(".kb-map__unplaced") == []
    # the view contains every marker and every name (nothing clipped)
    x0, y0, w, h = (float(v) for v in (svg.get("viewBox") or svg["viewbox"]).split())
    for circle in svg.select("circle"):
        assert x0 < float(circle["cx"]) < x0 + w and y0 < float(circle["cy"]) < y0 + h
    # Brest is west of the pays, at the tip of Brittany
    brest, cob = (float(m.circle["cx"]) for m in markers)
    assert brest < cob


@pytest.mark.parametrize("dep, code", [("974", "97411"), ("973", "97302"), ("972", "97209"),
                                       ("971", "97105"), ("976", "97611")])
def test_overseas_outlines_are_drawn_and_places_land_on_them(dep, code):
    """Each overseas inset has its outline (Natural Earth); its capital lands on it."""
    rings = geo.parse_path(geo.overseas_outlines(NODE_MODULES)[dep])
    assert rings and sum(len(r) for r in rings) > 20
    place = C.load().get(code)
    x, y = geo.project(place.lat, place.lon, dep, GEOMETRY)
    nearest = min(math.hypot(x - px, y - py) for r in rings for px, py in r)
    assert nearest < 3.0  # map units: the capitals are on the coast
    inset = geo.insets(geo.load_geometry(NODE_MODULES))[dep]
    assert all(inset.x <= px <= inset.x + inset.width and inset.y <= py <= inset.y + inset.height
               for r in rings for px, py in r)


def test_catalogue_map_draws_the_overseas_outlines(fixture_site):
    svg = fixture_site.main("explorer/cooperations/").select_one("figure.kb-map--catalogue svg")
    assert sorted(p["data-dep"] for p in svg.select(".kb-map__insets path")) == sorted(geo.OVERSEAS)


def _view_box(svg):
    return [float(v) for v in (svg.get("viewBox") or svg["viewbox"]).split()]


def _member_points(sirens):
    """Every commune of the given EPCI, projected onto the map."""
    cog = C.load()
    for siren in sirens:
        for code in cog.get(siren).members:
            commune = cog.get(code)
            yield code, geo.project(commune.lat, commune.lon, commune.departement, GEOMETRY)


COB = ["242900744", "242900561", "200067197", "242200715", "245614417"]


def test_flagship_case_map_frames_every_commune_of_each_partner_with_a_margin(fixture_site):
    """The pays spans Finistère, Côtes-d'Armor and Morbihan: its communes are all in view,
    not cut at the edge, and so is every drawn marker."""
    svg = fixture_site.main("cooperations/brest-centre-bretagne/").select_one("figure.kb-map--case svg")
    x0, y0, w, h = _view_box(svg)
    margin = 0.03 * max(w, h)
    points = list(_member_points(COB + ["242900314"]))
    points += [("marker", (float(c["cx"]), float(c["cy"]))) for c in svg.select(".kb-map__markers circle")]
    outside = [code for code, (x, y) in points
               if not (x0 + margin <= x <= x0 + w - margin and y0 + margin <= y <= y0 + h - margin)]
    assert outside == []
    # each partner's départements are drawn whole: none cut by the edge of the view
    geometry = geo.load_geometry(NODE_MODULES)
    for dep in ("29", "22", "56"):
        bx0, by0, bx1, by1 = geometry.departements[dep].bbox
        assert x0 <= bx0 and bx1 <= x0 + w and y0 <= by0 and by1 <= y0 + h, dep


def test_case_map_caption_lists_every_departement_of_a_partner(fixture_site):
    caption = fixture_site.main("cooperations/brest-centre-bretagne/").select_one(
        "figure.kb-map--case figcaption").get_text(" ", strip=True)
    import re
    found = re.search(r"Pays du Centre Ouest Bretagne \(([^)]*)\)", caption)
    assert found, caption
    named = [part.strip() for part in found.group(1).split(",")]
    assert {"Finistère", "Côtes-d'Armor", "Morbihan"} <= set(named), caption
    assert "Brest Métropole (Finistère)" in caption  # its official name


def _inside(inner, outer, tolerance=1.0):
    return (inner["x"] >= outer["x"] - tolerance and inner["y"] >= outer["y"] - tolerance
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + tolerance
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + tolerance)


def test_case_map_at_320_px_is_whole_and_its_markers_are_named(chromium, served_fixture_site):
    """On a small phone: no sideways scrolling, every département of the partners drawn whole
    inside the map, each marker a link with an accessible name, its name shown on focus and
    kept inside the figure."""
    context = chromium.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(served_fixture_site.url + "cooperations/brest-centre-bretagne/")
        page.wait_for_function("() => document.querySelector('svg.kb-map__svg[data-kb-map-ready]')")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        figure = page.locator("figure.kb-map--case")
        svg = figure.locator("svg")
        frame = svg.bounding_box()
        assert frame["x"] >= 0 and frame["x"] + frame["width"] <= 320
        for dep in ("29", "22", "56"):
            assert _inside(svg.locator(f'.kb-map__land path[data-dep="{dep}"]').bounding_box(), frame), dep
        for name in ("Brest métropole", "Pays du Centre Ouest Bretagne"):
            marker = svg.get_by_role("link", name=name)
            assert marker.count() == 1, name
            assert _inside(marker.locator("circle").first.bounding_box(), frame)
        page.keyboard.press("Tab")  # from the page: tab until a marker has the focus
        for _ in range(200):
            if page.evaluate("!!document.activeElement.closest('.kb-map__markers')"):
                break
            page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.querySelector('title').textContent")
        tip = figure.locator(".kb-map__tip")
        assert tip.is_visible() and tip.text_content() == name
        assert _inside(tip.bounding_box(), figure.bounding_box())
    finally:
        context.close()


def test_explorer_map_on_a_phone_a_tap_names_the_places_and_a_second_opens_one(chromium, served_fixture_site):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 320, "height": 640},
                                   has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(served_fixture_site.url + "explorer/cooperations/")
        page.locator("details.kb-explorer__map > summary").click()
        page.wait_for_function("() => document.querySelector('svg.kb-map__svg[data-kb-map-ready]')")
        figure = page.locator("figure.kb-map--catalogue")
        figure.scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        markers = figure.locator(".kb-map__markers a")
        assert markers.count() >= 4
        for i in range(markers.count()):  # every marker has an accessible name
            assert (markers.nth(i).get_attribute("aria-label") or "").startswith(
                markers.nth(i).locator("title").text_content())
        # the westernmost place: its name would be cut by the edge of the map if centred on it
        west = min(range(markers.count()), key=lambda i: markers.nth(i).locator("circle").first.bounding_box()["x"])
        marker = markers.nth(west)
        dot = marker.locator("circle").first.bounding_box()
        url = page.url
        page.touchscreen.tap(dot["x"] + dot["width"] / 2, dot["y"] + dot["height"] / 2)
        tip = figure.locator(".kb-map__tip")
        tip.wait_for(state="visible")
        assert page.url == url  # the first tap names, it does not leave the page
        assert marker.locator("title").text_content() in tip.text_content()
        assert _inside(tip.bounding_box(), figure.bounding_box())
        page.touchscreen.tap(dot["x"] + dot["width"] / 2, dot["y"] + dot["height"] / 2)
        if tip.locator("a").count():  # close places are listed: each name is a link
            tip.get_by_role("link", name=marker.locator("title").text_content(), exact=True).tap()
        page.wait_for_url("**/territoires/**")
    finally:
        context.close()


def _rings(d: str):
    import re
    for part in re.findall(r"M([^MZ]*)Z", d):
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", part)]
        if "a" not in part:
            yield list(zip(numbers[::2], numbers[1::2]))


def _in_polygon(point, ring) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_a_grouping_with_members_is_drawn_as_its_members(fixture_site):
    """The pays is not a lone dot: each of its member intercommunalités is drawn as the
    outline of its communes, in Finistère, Côtes-d'Armor and Morbihan."""
    svg = fixture_site.main("cooperations/brest-centre-bretagne/").select_one("figure.kb-map--case svg")
    area = svg.select_one('.kb-map__areas path[data-key="pays-du-centre-ouest-bretagne"]')
    assert area is not None
    rings = list(_rings(area["d"]))
    cog = C.load()
    departements = set()
    for siren in COB:
        epci = cog.get(siren)
        centre = geo.project(epci.lat, epci.lon, epci.departement, GEOMETRY)
        assert any(_in_polygon(centre, ring) for ring in rings), epci.nom
        departements.update(epci.departements)
    assert {"29", "22", "56"} <= departements
    assert svg.select_one('.kb-map__areas path[data-key="brest-metropole"]') is not None
