//! A bounding volume hierarchy over the scene's bounded top-level objects, and over
//! the triangles of each mesh.
//!
//! Built once per scene with a binned surface-area heuristic; nodes are stored flat
//! and traversed with a small fixed stack, nearest child first, so a closest-hit
//! query prunes everything beyond the best hit so far.
//!
//! The build keeps only the item numbers and one byte per item: an item's box is
//! asked of the caller when needed (a mesh computes a triangle's from its corners
//! rather than store a million boxes). Each node's items are binned in one pass,
//! which also gives each side's bounds and centroid bounds, so a node's children
//! start with theirs known; the items are then partitioned stably by bin. After
//! the build the item numbers are in leaf order and serve as the leaves' lists.

use super::geometry::{Aabb, RayInv};

const LEAF_SIZE: usize = 2;
const BINS: usize = 12;

#[derive(Clone, Debug)]
struct Node {
    bounds: Aabb,
    /// Leaf: first item index; inner: index of the second child (first is next).
    start_or_right: u32,
    /// Leaf: item count; inner: 0.
    count: u32,
}

/// The hierarchy; `items` are indices into the caller's object list.
#[derive(Clone, Debug, Default)]
pub struct Bvh {
    nodes: Vec<Node>,
    items: Vec<u32>,
}

/// A node still to build: its items' range, the node that points to it (for a
/// second child), and its bounds and centroid bounds when already known.
struct Task {
    start: usize,
    end: usize,
    parent: Option<usize>,
    known: Option<(Aabb, Aabb)>,
}

impl Bvh {
    /// Builds over `(object index, world bounds)` pairs.
    pub fn build(objects: &[(usize, Aabb)]) -> Bvh {
        let mut bvh = Bvh::build_with((0..objects.len() as u32).collect(), |i| {
            objects[i as usize].1
        });
        for item in &mut bvh.items {
            *item = objects[*item as usize].0 as u32;
        }
        bvh
    }

    /// Builds over `items`, whose boxes `box_of` gives (as often as needed, so it
    /// must give the same box each time).
    pub fn build_with(items: Vec<u32>, box_of: impl Fn(u32) -> Aabb) -> Bvh {
        let n = items.len();
        let mut bvh = Bvh {
            // A binary tree over n leaves of at least one item has at most 2n - 1
            // nodes; pages reserved and never written cost no memory.
            nodes: Vec::with_capacity((2 * n).saturating_sub(1)),
            items,
        };
        if n == 0 {
            return bvh;
        }
        let mut bins = vec![0u8; n];
        let mut scratch: Vec<u32> = Vec::new();
        let mut tasks = vec![Task {
            start: 0,
            end: n,
            parent: None,
            known: None,
        }];
        // Depth first, first children first: the node order of a recursive build.
        while let Some(task) = tasks.pop() {
            let me = bvh.nodes.len();
            if let Some(p) = task.parent {
                bvh.nodes[p].start_or_right = me as u32;
            }
            let ids = &mut bvh.items[task.start..task.end];
            let (bounds, centroids) = task.known.unwrap_or_else(|| bounds_of(ids, &box_of));
            bvh.nodes.push(Node {
                bounds,
                start_or_right: task.start as u32,
                count: ids.len() as u32,
            });
            if ids.len() <= LEAF_SIZE {
                continue;
            }
            let bins = &mut bins[task.start..task.end];
            let (mid, known) = split(ids, bins, &mut scratch, &centroids, &box_of);
            bvh.nodes[me].count = 0;
            let (left, right) = match known {
                Some((l, r)) => (Some(l), Some(r)),
                None => (None, None),
            };
            tasks.push(Task {
                start: task.start + mid,
                end: task.end,
                parent: Some(me),
                known: right,
            });
            tasks.push(Task {
                start: task.start,
                end: task.start + mid,
                parent: None,
                known: left,
            });
        }
        bvh.nodes.shrink_to_fit();
        bvh
    }

    /// The box around everything, if there is anything.
    pub fn bounds(&self) -> Option<Aabb> {
        self.nodes.first().map(|n| n.bounds)
    }

    /// Visits the items whose boxes the ray enters before `t_max()`, nearer subtrees
    /// first. `visit` returns the new closest distance so pruning tightens as hits are
    /// found.
    pub fn traverse(&self, ray: &RayInv, mut t_max: f64, mut visit: impl FnMut(usize, f64) -> f64) {
        if self.nodes.is_empty() {
            return;
        }
        // A small stack is cheap to set up per ray; a deeper tree spills into a
        // vector (which allocates only then) rather than dropping subtrees.
        let mut stack = [0u32; 32];
        let mut spill: Vec<u32> = Vec::new();
        let mut sp = 0usize;
        let mut node = 0usize;
        loop {
            let n = &self.nodes[node];
            if n.count > 0 {
                let s = n.start_or_right as usize;
                for &item in &self.items[s..s + n.count as usize] {
                    t_max = visit(item as usize, t_max);
                }
            } else {
                let (a, b) = (node + 1, n.start_or_right as usize);
                let ha = self.nodes[a].bounds.hit(ray, t_max);
                let hb = self.nodes[b].bounds.hit(ray, t_max);
                match (ha, hb) {
                    (Some(ta), Some(tb)) => {
                        let (near, far) = if ta <= tb { (a, b) } else { (b, a) };
                        if sp < stack.len() {
                            stack[sp] = far as u32;
                            sp += 1;
                        } else {
                            spill.push(far as u32);
                        }
                        node = near;
                        continue;
                    }
                    (Some(_), None) => {
                        node = a;
                        continue;
                    }
                    (None, Some(_)) => {
                        node = b;
                        continue;
                    }
                    (None, None) => {}
                }
            }
            loop {
                // The spill holds the most recent entries.
                let next = match spill.pop() {
                    Some(next) => next as usize,
                    None if sp == 0 => return,
                    None => {
                        sp -= 1;
                        stack[sp] as usize
                    }
                };
                if self.nodes[next].bounds.hit(ray, t_max).is_some() {
                    node = next;
                    break;
                }
            }
        }
    }
}

/// The union of the items' boxes, and the box around their centroids.
fn bounds_of(ids: &[u32], box_of: &impl Fn(u32) -> Aabb) -> (Aabb, Aabb) {
    let first = box_of(ids[0]);
    let c = first.centroid();
    let mut bounds = first;
    let mut centroids = Aabb { min: c, max: c };
    for &i in &ids[1..] {
        let b = box_of(i);
        bounds = bounds.union(&b);
        let c = b.centroid();
        centroids = centroids.union(&Aabb { min: c, max: c });
    }
    (bounds, centroids)
}

/// One side's bounds and centroid bounds, from its bins.
type Sides = ((Aabb, Aabb), (Aabb, Aabb));

/// Splits `ids` (more than a leaf's) at the best binned-SAH split: reorders them
/// and returns where the second child's start, with both children's bounds when
/// the bins gave them. `bins` is scratch of the same length.
fn split(
    ids: &mut [u32],
    bins: &mut [u8],
    scratch: &mut Vec<u32>,
    cb: &Aabb,
    box_of: &impl Fn(u32) -> Aabb,
) -> (usize, Option<Sides>) {
    let extent = cb.max - cb.min;
    let axis = if extent.x >= extent.y && extent.x >= extent.z {
        0
    } else if extent.y >= extent.z {
        1
    } else {
        2
    };
    if extent[axis] <= 0.0 {
        // All centroids coincide: split in the middle to keep leaves small.
        return (ids.len() / 2, None);
    }
    let (lo, span) = (cb.min[axis], extent[axis]);
    let mut counts = [0usize; BINS];
    let mut boxes: [Option<(Aabb, Aabb)>; BINS] = [None; BINS];
    for (&i, bin) in ids.iter().zip(bins.iter_mut()) {
        let b = box_of(i);
        let c = b.centroid();
        let f = (c[axis] - lo) / span;
        let k = ((f * BINS as f64) as usize).min(BINS - 1);
        *bin = k as u8;
        counts[k] += 1;
        let point = Aabb { min: c, max: c };
        boxes[k] = Some(match boxes[k] {
            None => (b, point),
            Some((x, xc)) => (x.union(&b), xc.union(&point)),
        });
    }
    let side = |r: std::ops::Range<usize>| {
        let mut n = 0;
        let mut bb: Option<(Aabb, Aabb)> = None;
        for i in r {
            n += counts[i];
            if let Some((b, c)) = boxes[i] {
                bb = Some(bb.map_or((b, c), |(x, xc)| (x.union(&b), xc.union(&c))));
            }
        }
        (bb, n)
    };
    let mut best = (f64::INFINITY, 0usize);
    for split in 1..BINS {
        let cost = |(bb, n): (Option<(Aabb, Aabb)>, usize)| {
            bb.map_or(0.0, |(b, _)| b.surface_area() * n as f64)
        };
        let cost = cost(side(0..split)) + cost(side(split..BINS));
        if cost < best.0 {
            best = (cost, split);
        }
    }
    // A stable partition around the chosen bin is linear: sorting the whole
    // slice at every node made a million-triangle mesh's build O(n log² n).
    let mid = stable_partition(ids, bins, best.1 as u8, scratch);
    if mid == 0 || mid == ids.len() {
        // Unreachable for finite boxes (the extreme centroids fall in the first and
        // last bins); a median split keeps NaN boxes from making a degenerate tree.
        ids.sort_by(|&a, &b| {
            let (a, b) = (box_of(a).centroid()[axis], box_of(b).centroid()[axis]);
            a.total_cmp(&b)
        });
        return (ids.len() / 2, None);
    }
    let (left, right) = (side(0..best.1).0, side(best.1..BINS).0);
    (mid, left.zip(right))
}

/// Moves the items whose bin is below `split` before the others, keeping the
/// order within each side; returns how many went first.
fn stable_partition(ids: &mut [u32], bins: &[u8], split: u8, scratch: &mut Vec<u32>) -> usize {
    scratch.clear();
    let mut mid = 0;
    for k in 0..ids.len() {
        let i = ids[k];
        if bins[k] < split {
            ids[mid] = i;
            mid += 1;
        } else {
            scratch.push(i);
        }
    }
    ids[mid..].copy_from_slice(scratch);
    mid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::geometry::Ray;
    use glam::DVec3;

    /// Boxes at distances growing 16-fold make the binned SAH split off one box at
    /// a time (all the others share its first bin): a tree far deeper than the
    /// traversal's fixed stack, whose items must all still be visited.
    #[test]
    fn deep_trees_lose_no_subtree() {
        let objs: Vec<(usize, Aabb)> = (0..100)
            .map(|i| {
                let c = DVec3::new(16f64.powi(i), 0.0, 0.0);
                (i as usize, Aabb::new(c - DVec3::ONE, c + DVec3::ONE))
            })
            .collect();
        let bvh = Bvh::build(&objs);
        fn depth(bvh: &Bvh, node: usize) -> usize {
            let n = &bvh.nodes[node];
            if n.count > 0 {
                1
            } else {
                1 + depth(bvh, node + 1).max(depth(bvh, n.start_or_right as usize))
            }
        }
        assert!(depth(&bvh, 0) > 50, "the tree should be deep");
        let ray = RayInv::new(&Ray::new(DVec3::new(-10.0, 0.0, 0.0), DVec3::X));
        let mut seen = Vec::new();
        bvh.traverse(&ray, f64::INFINITY, |i, t| {
            seen.push(i);
            t
        });
        seen.sort();
        assert_eq!(seen, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn finds_every_box_on_the_ray() {
        let objs: Vec<(usize, Aabb)> = (0..20)
            .map(|i| {
                let c = DVec3::new(i as f64 * 3.0, 0.0, 0.0);
                (i, Aabb::new(c - DVec3::ONE, c + DVec3::ONE))
            })
            .collect();
        let bvh = Bvh::build(&objs);
        let ray = RayInv::new(&Ray::new(DVec3::new(-10.0, 0.0, 0.0), DVec3::X));
        let mut seen = Vec::new();
        bvh.traverse(&ray, f64::INFINITY, |i, t| {
            seen.push(i);
            t
        });
        seen.sort();
        assert_eq!(seen, (0..20).collect::<Vec<_>>());
        let ray = RayInv::new(&Ray::new(DVec3::new(-10.0, 5.0, 0.0), DVec3::X));
        let mut n = 0;
        bvh.traverse(&ray, f64::INFINITY, |_, t| {
            n += 1;
            t
        });
        assert_eq!(n, 0);
    }
}
