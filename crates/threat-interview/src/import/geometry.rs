//! The plane geometry importers need to read a drawing: which box lies inside which (trust
//! boundaries drawn as boxes hold no list of members) and which paths meet (a flow crosses a
//! boundary drawn as a line when their paths intersect).
//!
//! Coordinates are the drawing's, `y` growing downwards; nothing here depends on the
//! orientation. Comparisons allow [`EPSILON`] of slack: drawing tools write
//! `170.00000000000057` for `170`.

/// The slack of every comparison, in drawing units.
pub(crate) const EPSILON: f64 = 1e-6;

/// A point of the drawing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    pub(crate) x: f64,
    pub(crate) y: f64,
}

impl Point {
    pub(crate) fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }
}

/// An axis-aligned rectangle: its top-left corner and its size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) width: f64,
    pub(crate) height: f64,
}

impl Rect {
    pub(crate) fn new(x: f64, y: f64, width: f64, height: f64) -> Self {
        // A negative size (a shape dragged up or left) spans the same area.
        let (x, width) = if width < 0.0 {
            (x + width, -width)
        } else {
            (x, width)
        };
        let (y, height) = if height < 0.0 {
            (y + height, -height)
        } else {
            (y, height)
        };
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    pub(crate) fn right(&self) -> f64 {
        self.x + self.width
    }

    pub(crate) fn bottom(&self) -> f64 {
        self.y + self.height
    }

    pub(crate) fn center(&self) -> Point {
        Point::new(self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    pub(crate) fn area(&self) -> f64 {
        self.width * self.height
    }

    /// Whether `other` lies entirely inside this rectangle (edges may touch).
    pub(crate) fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x - EPSILON
            && other.y >= self.y - EPSILON
            && other.right() <= self.right() + EPSILON
            && other.bottom() <= self.bottom() + EPSILON
    }

    /// Whether the rectangles share some area (touching edges do not count).
    pub(crate) fn overlaps(&self, other: &Rect) -> bool {
        other.x < self.right() - EPSILON
            && self.x < other.right() - EPSILON
            && other.y < self.bottom() - EPSILON
            && self.y < other.bottom() - EPSILON
    }

    /// Whether a point lies inside the rectangle (or on its edge).
    pub(crate) fn contains_point(&self, p: Point) -> bool {
        self.distance_to(p) <= EPSILON
    }

    /// The distance from a point to the rectangle: 0 inside.
    pub(crate) fn distance_to(&self, p: Point) -> f64 {
        let dx = (self.x - p.x).max(0.0).max(p.x - self.right());
        let dy = (self.y - p.y).max(0.0).max(p.y - self.bottom());
        dx.hypot(dy)
    }
}

/// The smallest of `boxes` that contains `inner` entirely, skipping `skip` (the box itself,
/// when `inner` is a box). Ties go to the box listed first, and a box never contains one of
/// the same size listed before it, so that nesting boxes this way never makes a cycle.
pub(crate) fn innermost(inner: &Rect, boxes: &[Rect], skip: Option<usize>) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (k, b) in boxes.iter().enumerate() {
        if Some(k) == skip || !b.contains(inner) {
            continue;
        }
        if let Some(s) = skip {
            // Two boxes of the same size: the one listed first holds the other.
            let same = (b.area() - inner.area()).abs() <= EPSILON;
            if same && k > s {
                continue;
            }
        }
        best = match best {
            Some(j) if boxes[j].area() <= b.area() + EPSILON => Some(j),
            _ => Some(k),
        };
    }
    best
}

/// `(b - a) × (c - a)`: positive when `c` lies to one side of `a`→`b`, negative on the other,
/// zero on its line.
fn cross(a: Point, b: Point, c: Point) -> f64 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

fn sign(v: f64) -> i8 {
    if v > EPSILON {
        1
    } else if v < -EPSILON {
        -1
    } else {
        0
    }
}

/// Whether `c`, on the line through `a` and `b`, lies between them.
fn within(a: Point, b: Point, c: Point) -> bool {
    c.x >= a.x.min(b.x) - EPSILON
        && c.x <= a.x.max(b.x) + EPSILON
        && c.y >= a.y.min(b.y) - EPSILON
        && c.y <= a.y.max(b.y) + EPSILON
}

/// Whether the segments `a1`–`a2` and `b1`–`b2` meet (touching and overlapping count).
pub(crate) fn segments_meet(a1: Point, a2: Point, b1: Point, b2: Point) -> bool {
    let d1 = sign(cross(b1, b2, a1));
    let d2 = sign(cross(b1, b2, a2));
    let d3 = sign(cross(a1, a2, b1));
    let d4 = sign(cross(a1, a2, b2));
    if d1 * d2 < 0 && d3 * d4 < 0 {
        return true;
    }
    (d1 == 0 && within(b1, b2, a1))
        || (d2 == 0 && within(b1, b2, a2))
        || (d3 == 0 && within(a1, a2, b1))
        || (d4 == 0 && within(a1, a2, b2))
}

/// Whether two polylines (each a list of points joined in order) meet anywhere.
pub(crate) fn paths_meet(a: &[Point], b: &[Point]) -> bool {
    a.windows(2)
        .any(|s| b.windows(2).any(|t| segments_meet(s[0], s[1], t[0], t[1])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point::new(x, y)
    }

    #[test]
    fn containment_allows_touching_edges_and_rounding() {
        let outer = Rect::new(151.999_999_999_999_83, 170.000_000_000_000_57, 250.0, 200.0);
        assert!(outer.contains(&Rect::new(212.0, 220.0, 130.0, 120.0)));
        assert!(outer.contains(&Rect::new(152.0, 170.0, 250.0, 200.0)));
        assert!(!outer.contains(&Rect::new(140.0, 220.0, 130.0, 120.0)));
        assert!(outer.overlaps(&Rect::new(140.0, 220.0, 130.0, 120.0)));
        assert!(!outer.overlaps(&Rect::new(402.0, 170.0, 10.0, 10.0)));
        assert_eq!(
            Rect::new(10.0, 10.0, -5.0, -5.0),
            Rect::new(5.0, 5.0, 5.0, 5.0)
        );
    }

    #[test]
    fn the_smallest_box_holding_a_shape_is_its_innermost() {
        let boxes = [
            Rect::new(0.0, 0.0, 1000.0, 1000.0),
            Rect::new(100.0, 100.0, 300.0, 300.0),
            Rect::new(500.0, 500.0, 100.0, 100.0),
        ];
        let shape = Rect::new(150.0, 150.0, 50.0, 50.0);
        assert_eq!(innermost(&shape, &boxes, None), Some(1));
        assert_eq!(innermost(&boxes[1], &boxes, Some(1)), Some(0));
        assert_eq!(innermost(&boxes[0], &boxes, Some(0)), None);
        assert_eq!(
            innermost(&Rect::new(900.0, 5.0, 200.0, 5.0), &boxes, None),
            None
        );
        // Two boxes of the same size: the second is inside the first, not both ways.
        let twins = [
            Rect::new(0.0, 0.0, 10.0, 10.0),
            Rect::new(0.0, 0.0, 10.0, 10.0),
        ];
        assert_eq!(innermost(&twins[1], &twins, Some(1)), Some(0));
        assert_eq!(innermost(&twins[0], &twins, Some(0)), None);
    }

    #[test]
    fn segments_meet_when_they_cross_touch_or_overlap() {
        assert!(segments_meet(
            p(0.0, 0.0),
            p(10.0, 10.0),
            p(0.0, 10.0),
            p(10.0, 0.0)
        ));
        assert!(!segments_meet(
            p(0.0, 0.0),
            p(10.0, 0.0),
            p(0.0, 1.0),
            p(10.0, 1.0)
        ));
        assert!(segments_meet(
            p(0.0, 0.0),
            p(10.0, 0.0),
            p(5.0, 0.0),
            p(5.0, 5.0)
        ));
        assert!(segments_meet(
            p(0.0, 0.0),
            p(10.0, 0.0),
            p(5.0, 0.0),
            p(15.0, 0.0)
        ));
        assert!(!segments_meet(
            p(0.0, 0.0),
            p(10.0, 0.0),
            p(11.0, 0.0),
            p(15.0, 0.0)
        ));
        assert!(!segments_meet(
            p(0.0, 0.0),
            p(4.0, 4.0),
            p(0.0, 10.0),
            p(10.0, 0.0)
        ));
    }

    #[test]
    fn a_worked_example_of_the_threat_dragon_demo() {
        // "Put Message": from the centre of Web Application to a vertex and on to the centre
        // of Message Queue; the curve 6767506f meets its first segment at (346.76, 125.76).
        let flow = [p(270.0, 230.0), p(351.0, 120.0), p(680.0, 53.0)];
        let curve = [
            p(350.0, 10.0),
            p(333.0, 117.0),
            p(432.0, 180.0),
            p(810.0, 150.0),
        ];
        assert!(paths_meet(&flow, &curve));
        let other = [p(40.0, 240.0), p(276.0, 149.0), p(290.0, 10.0)];
        assert!(!paths_meet(&flow, &other));
    }
}
