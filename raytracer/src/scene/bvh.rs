//! A bounding volume hierarchy over the scene's bounded top-level objects.
//!
//! Built once per scene with a binned surface-area heuristic; nodes are stored flat
//! and traversed with a small fixed stack, nearest child first, so a closest-hit
//! query prunes everything beyond the best hit so far.

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

impl Bvh {
    /// Builds over `(object index, world bounds)` pairs.
    pub fn build(objects: &[(usize, Aabb)]) -> Bvh {
        let mut bvh = Bvh::default();
        if objects.is_empty() {
            return bvh;
        }
        let mut work: Vec<(u32, Aabb)> = objects.iter().map(|(i, b)| (*i as u32, *b)).collect();
        bvh.build_node(&mut work);
        bvh
    }

    fn build_node(&mut self, work: &mut [(u32, Aabb)]) -> usize {
        let bounds = work.iter().skip(1).fold(work[0].1, |a, (_, b)| a.union(b));
        let me = self.nodes.len();
        self.nodes.push(Node {
            bounds,
            start_or_right: 0,
            count: 0,
        });
        let split = if work.len() <= LEAF_SIZE {
            None
        } else {
            sah_split(work)
        };
        match split {
            None => {
                self.nodes[me].start_or_right = self.items.len() as u32;
                self.nodes[me].count = work.len() as u32;
                self.items.extend(work.iter().map(|(i, _)| *i));
            }
            Some(mid) => {
                let (left, right) = work.split_at_mut(mid);
                self.build_node(left);
                let r = self.build_node(right);
                self.nodes[me].start_or_right = r as u32;
            }
        }
        me
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

/// Sorts `work` around the best binned-SAH split and returns the split index.
fn sah_split(work: &mut [(u32, Aabb)]) -> Option<usize> {
    let cb = work.iter().skip(1).fold(
        Aabb {
            min: work[0].1.centroid(),
            max: work[0].1.centroid(),
        },
        |a, (_, b)| {
            a.union(&Aabb {
                min: b.centroid(),
                max: b.centroid(),
            })
        },
    );
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
        return Some(work.len() / 2);
    }
    let bin_of = |b: &Aabb| {
        let f = (b.centroid()[axis] - cb.min[axis]) / extent[axis];
        ((f * BINS as f64) as usize).min(BINS - 1)
    };
    let mut counts = [0usize; BINS];
    let mut boxes: [Option<Aabb>; BINS] = [None; BINS];
    for (_, b) in work.iter() {
        let i = bin_of(b);
        counts[i] += 1;
        boxes[i] = Some(boxes[i].map_or(*b, |x| x.union(b)));
    }
    let mut best = (f64::INFINITY, 0usize);
    for split in 1..BINS {
        let side = |r: std::ops::Range<usize>| {
            let mut n = 0;
            let mut bb: Option<Aabb> = None;
            for i in r {
                n += counts[i];
                if let Some(b) = boxes[i] {
                    bb = Some(bb.map_or(b, |x| x.union(&b)));
                }
            }
            bb.map_or(0.0, |b| b.surface_area() * n as f64)
        };
        let cost = side(0..split) + side(split..BINS);
        if cost < best.0 {
            best = (cost, split);
        }
    }
    // A stable partition around the chosen bin is linear: sorting the whole
    // slice at every node made a million-triangle mesh's build O(n log² n).
    let mid = stable_partition(work, |b| bin_of(b) < best.1);
    if mid == 0 || mid == work.len() {
        // Unreachable for finite boxes (the extreme centroids fall in the first and
        // last bins); a median split keeps NaN boxes from making a degenerate tree.
        let half = work.len() / 2;
        work.sort_by(|a, b| a.1.centroid()[axis].total_cmp(&b.1.centroid()[axis]));
        Some(half)
    } else {
        Some(mid)
    }
}

/// Moves the items whose box satisfies `left` before the others, keeping the order
/// within each side; returns how many went left.
fn stable_partition(work: &mut [(u32, Aabb)], left: impl Fn(&Aabb) -> bool) -> usize {
    let (l, r): (Vec<_>, Vec<_>) = work.iter().copied().partition(|(_, b)| left(b));
    let mid = l.len();
    for (slot, item) in work.iter_mut().zip(l.into_iter().chain(r)) {
        *slot = item;
    }
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
