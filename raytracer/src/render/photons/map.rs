//! The photon map: photons in a kd-tree laid out in one array (the pivot of a
//! range is its middle element, as in POV-Ray), and POV-Ray's gathering of the
//! nearest photons around a point with its adaptive radius.
//!
//! A scene has up to two maps: photons on surfaces, whose density is per area
//! (gathered in a disc), and photons in media, per volume (gathered in a
//! sphere, POV-Ray's first radius doubled).

use glam::DVec3;

use super::unit_random;
use super::PhotonSettings;

/// One stored photon, as compact as POV-Ray keeps it: single-precision place,
/// the light it carries, and the direction it came from as two angles of 1/127
/// of a half turn.
#[derive(Clone, Copy, Debug)]
pub struct Photon {
    pub pos: [f32; 3],
    pub colour: [f32; 3],
    pub theta: i8,
    pub phi: i8,
    /// The axis this photon splits its kd-tree range along.
    axis: u8,
}

impl Photon {
    /// A photon at `p` that arrived from `origin` carrying `colour`.
    pub fn new(p: DVec3, origin: DVec3, colour: DVec3) -> Photon {
        let d = (origin - p).normalize_or_zero();
        let d_len = (d.x * d.x + d.z * d.z).sqrt();
        let mut phi = if d_len > 0.0 {
            (d.x / d_len).clamp(-1.0, 1.0).acos()
        } else {
            0.0
        };
        if d.z < 0.0 {
            phi = -phi;
        }
        let mut theta = d_len.clamp(-1.0, 1.0).acos();
        if d.y < 0.0 {
            theta = -theta;
        }
        let byte = |a: f64| (a * 127.0 / std::f64::consts::PI) as i8;
        Photon {
            pos: p.as_vec3().to_array(),
            colour: colour.as_vec3().to_array(),
            theta: byte(theta),
            phi: byte(phi),
            axis: 0,
        }
    }

    /// A photon read back from a file; None if its split axis is not one.
    pub(super) fn from_parts(
        pos: [f32; 3],
        colour: [f32; 3],
        theta: i8,
        phi: i8,
        axis: u8,
    ) -> Option<Photon> {
        (axis < 3).then_some(Photon {
            pos,
            colour,
            theta,
            phi,
            axis,
        })
    }

    /// The axis this photon splits its kd-tree range along.
    pub(super) fn axis(&self) -> u8 {
        self.axis
    }

    pub fn position(&self) -> DVec3 {
        glam::Vec3::from_array(self.pos).as_dvec3()
    }
}

/// What a map's photons lie on, which sets how their density is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapKind {
    /// On surfaces: photons per area.
    Surface,
    /// In media: photons per volume.
    Media,
}

impl MapKind {
    /// The density of `n` photons found within radius `r`.
    fn density(self, n: usize, r: f64) -> f64 {
        match self {
            MapKind::Surface => n as f64 / (std::f64::consts::PI * r * r),
            MapKind::Media => 3.0 * n as f64 / (4.0 * std::f64::consts::PI * r * r * r),
        }
    }

    /// The radius holding `n` photons at `density` (POV-Ray's media map takes
    /// its cube root as 0.3333).
    fn radius_for(self, n: usize, density: f64) -> f64 {
        match self {
            MapKind::Surface => (n as f64 / (density * std::f64::consts::PI)).sqrt(),
            MapKind::Media => {
                (3.0 * n as f64 / (density * std::f64::consts::PI * 4.0)).powf(0.3333)
            }
        }
    }
}

/// A built photon map with the gather radii POV-Ray derives from it.
#[derive(Debug)]
pub struct PhotonMap {
    photons: Vec<Photon>,
    pub kind: MapKind,
    /// Photons shot to build the map, and how long shooting and sorting took.
    pub shot: u64,
    pub build_time: std::time::Duration,
    pub settings: PhotonSettings,
    /// The first gather radius, and how much each expansion adds.
    min_radius: f64,
    radius_step: f64,
    /// Gathers tried at most per point (POV-Ray's gatherNumSteps).
    steps: u32,
}

/// The photons found by one gather: indices and (flattened) squared distances
/// in a max-heap, POV-Ray's priority queue.
#[derive(Debug, Default, Clone)]
pub struct Found {
    pub items: Vec<(f64, u32)>,
}

/// The state of one recursive gather.
struct Search<'a> {
    map: &'a [Photon],
    pt: DVec3,
    normal: Option<DVec3>,
    want: usize,
    dmax: f64,
    sqrt_dmax: f64,
    found: &'a mut Found,
}

impl PhotonMap {
    /// Sorts `photons` into a kd-tree and sets the gather radii; None when empty.
    pub fn new(
        mut photons: Vec<Photon>,
        settings: PhotonSettings,
        kind: MapKind,
    ) -> Option<PhotonMap> {
        if photons.is_empty() {
            return None;
        }
        let n = photons.len();
        subdivide(&mut photons, 0, n);
        Self::from_tree(photons, settings, kind)
    }

    /// A map of photons already in kd-tree order (as a photon map file keeps
    /// them), with the gather radii set from them; None when empty.
    pub fn from_tree(
        photons: Vec<Photon>,
        settings: PhotonSettings,
        kind: MapKind,
    ) -> Option<PhotonMap> {
        if photons.is_empty() {
            return None;
        }
        let mut map = PhotonMap {
            photons,
            kind,
            shot: 0,
            build_time: std::time::Duration::ZERO,
            settings,
            min_radius: 0.0,
            radius_step: 0.5,
            steps: 2,
        };
        map.set_gather_options();
        Some(map)
    }

    pub fn len(&self) -> usize {
        self.photons.len()
    }

    pub fn is_empty(&self) -> bool {
        self.photons.is_empty()
    }

    /// The photons in kd-tree order.
    pub fn photons(&self) -> &[Photon] {
        &self.photons
    }

    pub fn photon(&self, i: u32) -> &Photon {
        &self.photons[i as usize]
    }

    /// Bytes the map holds, for the statistics.
    pub fn memory(&self) -> usize {
        self.photons.len() * std::mem::size_of::<Photon>()
    }

    /// POV-Ray's estimate of the first gather radius when the scene gives none:
    /// the radius holding `gather_max` photons at the average density of a
    /// sample of photons, widened where many samples are sparse.
    fn set_gather_options(&mut self) {
        let kind = self.kind;
        let (given, factor) = match kind {
            MapKind::Surface => (self.settings.radius, self.settings.radius_factor),
            MapKind::Media => (
                self.settings.media_radius,
                self.settings.media_radius_factor,
            ),
        };
        let mut radius = given.unwrap_or(0.0);
        if radius <= 0.0 {
            let n = self.photons.len();
            let samples = (n / 20).clamp(100, 1000);
            let mut found = Found::default();
            let pick = |i: usize, salt: u64| {
                let h = unit_random(&[salt, i as u64]);
                ((h * n as f64) as usize).min(n - 1)
            };
            let mut sum = 0.0;
            for i in 0..samples {
                let p = self.photons[pick(i, 1)].position();
                let (count, r) = self.gather(p, 1e7, None, &mut found);
                let density = if r > 0.0 {
                    kind.density(count, r)
                } else if i > 0 {
                    sum / i as f64
                } else {
                    0.0
                };
                sum += density;
            }
            let average = sum / samples as f64;
            radius = kind.radius_for(self.settings.gather_max, average);
            let mut sparse = 0;
            for i in 0..samples {
                let p = self.photons[pick(i, 2)].position();
                let (count, r) = self.gather(p, radius, None, &mut found);
                if r > 0.0 {
                    let density = kind.density(count, r);
                    if density < average * 0.7 && density > average * 0.05 {
                        sparse += 1;
                    }
                }
            }
            radius *= 1.0 + 20.0 * (sparse as f64 / samples as f64);
            if !radius.is_finite() {
                radius = 1e7;
            }
        }
        self.min_radius = radius * factor;
        if kind == MapKind::Media {
            self.min_radius *= 2.0;
        }
        self.radius_step = self.min_radius * 2.0;
    }

    /// The up to `gather_max` photons nearest `pt` within `size` (an ellipsoid
    /// flattened along `normal` when given): their count and the radius used.
    pub fn gather(
        &self,
        pt: DVec3,
        size: f64,
        normal: Option<DVec3>,
        found: &mut Found,
    ) -> (usize, f64) {
        found.items.clear();
        let mut s = Search {
            map: &self.photons,
            pt,
            normal,
            want: self.settings.gather_max,
            dmax: size * size,
            sqrt_dmax: size,
            found,
        };
        s.descend(0, self.photons.len());
        (s.found.items.len(), s.sqrt_dmax)
    }

    /// POV-Ray's adaptive gather: from the first radius, widen by steps while too
    /// few photons are found and the density stays about the same. Returns the
    /// radius the photons in `found` were gathered with. A surface's `normal`
    /// flattens the search; media gather in a sphere.
    pub fn gather_adaptive(
        &self,
        pt: DVec3,
        normal: Option<DVec3>,
        found: &mut Found,
        spare: &mut Found,
    ) -> f64 {
        let mut size = self.min_radius;
        let (mut num, mut radius) = self.gather(pt, size, normal, found);
        let mut prev = num as f64 / (radius * radius);
        if prev == 0.0 {
            prev = 1e-16;
        }
        let mut step = 1;
        while num < self.settings.gather_min && step < self.steps {
            step += 1;
            size += self.radius_step;
            let (n, r) = self.gather(pt, size, normal, spare);
            let density = n as f64 / (r * r);
            if (density - prev) / prev < self.settings.expand_tolerance
                || (n < self.settings.expand_min && n > 0)
            {
                std::mem::swap(found, spare);
                prev = if density == 0.0 { 1e-16 } else { density };
                radius = r;
                num = n;
            } else {
                break;
            }
        }
        radius
    }
}

impl Search<'_> {
    /// The range `start..end` of the tree, pivot in the middle.
    fn descend(&mut self, start: usize, end: usize) {
        if start >= end {
            return;
        }
        let mid = (start + end - 1) / 2;
        let photon = &self.map[mid];
        let axis = photon.axis as usize;
        let pos = photon.position();
        let delta = self.pt[axis] - pos[axis];
        if delta * delta < self.dmax {
            let v = pos - self.pt;
            let mut d2 = v.length_squared();
            if let Some(n) = self.normal {
                // An ellipsoid flat along the surface: photons off the plane count
                // as farther, against bleeding round sharp corners.
                d2 += n.dot(v).abs() * d2 * 16.0;
            }
            if d2 < self.dmax {
                self.insert(d2, mid as u32);
            }
        }
        let near_low = self.pt[axis] - self.sqrt_dmax < pos[axis];
        let near_high = self.pt[axis] + self.sqrt_dmax > pos[axis];
        if delta < 0.0 {
            if near_low {
                self.descend(start, mid);
            }
            if self.pt[axis] + self.sqrt_dmax > pos[axis] {
                self.descend(mid + 1, end);
            }
        } else {
            if near_high {
                self.descend(mid + 1, end);
            }
            if self.pt[axis] - self.sqrt_dmax < pos[axis] {
                self.descend(start, mid);
            }
        }
    }

    /// POV-Ray's queue: once it holds `want` photons, a closer one replaces the
    /// farthest and the search radius shrinks to the new farthest.
    fn insert(&mut self, d2: f64, index: u32) {
        let heap = &mut self.found.items;
        if heap.len() < self.want {
            heap.push((d2, index));
            let mut k = heap.len() - 1;
            while k > 0 {
                let parent = (k - 1) / 2;
                if heap[parent].0 > d2 {
                    break;
                }
                heap.swap(k, parent);
                k = parent;
            }
            return;
        }
        heap[0] = (d2, index);
        let n = heap.len();
        let mut k = 0;
        loop {
            let (l, r) = (2 * k + 1, 2 * k + 2);
            let mut big = k;
            if l < n && heap[l].0 > heap[big].0 {
                big = l;
            }
            if r < n && heap[r].0 > heap[big].0 {
                big = r;
            }
            if big == k {
                break;
            }
            heap.swap(k, big);
            k = big;
        }
        self.dmax = heap[0].0;
        self.sqrt_dmax = self.dmax.sqrt();
    }
}

/// Builds the kd-tree in place: each range's middle element splits it along the
/// axis the range's photons spread most over.
fn subdivide(photons: &mut [Photon], start: usize, end: usize) {
    if start >= end {
        return;
    }
    let range = &mut photons[start..end];
    let mut lo = [f32::INFINITY; 3];
    let mut hi = [f32::NEG_INFINITY; 3];
    for p in range.iter() {
        for a in 0..3 {
            lo[a] = lo[a].min(p.pos[a]);
            hi[a] = hi[a].max(p.pos[a]);
        }
    }
    let extent = |a: usize| hi[a] - lo[a];
    let axis = if extent(0) >= extent(1) && extent(0) >= extent(2) {
        0
    } else if extent(1) >= extent(2) {
        1
    } else {
        2
    };
    let mid = (end - 1 - start) / 2;
    range.select_nth_unstable_by(mid, |a, b| a.pos[axis].total_cmp(&b.pos[axis]));
    range[mid].axis = axis as u8;
    subdivide(photons, start, start + mid);
    subdivide(photons, start + mid + 1, end);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(max: usize) -> PhotonSettings {
        PhotonSettings {
            spacing: 1.0,
            count: 0,
            gather_min: 1,
            gather_max: max,
            jitter: 0.0,
            autostop: 0.5,
            expand_tolerance: 0.2,
            expand_min: 35,
            max_trace_level: 5,
            adc_bailout: 1.0 / 255.0,
            radius: Some(10.0),
            radius_factor: 1.0,
            media_steps: 0,
            media_factor: 1.0,
            media_radius: None,
            media_radius_factor: 1.0,
        }
    }

    #[test]
    fn gather_finds_the_nearest_photons() {
        let photons: Vec<Photon> = (0..1000)
            .map(|i| {
                let p = DVec3::new((i % 10) as f64, ((i / 10) % 10) as f64, (i / 100) as f64);
                Photon::new(p, p + DVec3::Y, DVec3::ONE)
            })
            .collect();
        let map = PhotonMap::new(photons.clone(), settings(7), MapKind::Surface).unwrap();
        let pt = DVec3::new(4.2, 5.1, 3.3);
        let mut found = Found::default();
        let (n, r) = map.gather(pt, 10.0, None, &mut found);
        assert_eq!(n, 7);
        let mut want: Vec<f64> = photons
            .iter()
            .map(|p| (p.position() - pt).length_squared())
            .collect();
        want.sort_by(f64::total_cmp);
        let mut got: Vec<f64> = found.items.iter().map(|x| x.0).collect();
        got.sort_by(f64::total_cmp);
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-4, "{g} vs {w}");
        }
        assert!((r * r - got[6]).abs() < 1e-9);
    }

    #[test]
    fn direction_survives_the_byte_angles() {
        let p = Photon::new(DVec3::ZERO, DVec3::new(1.0, 2.0, -0.5), DVec3::ONE);
        let d = super::super::estimate::direction(&p);
        let want = DVec3::new(1.0, 2.0, -0.5).normalize();
        assert!(d.dot(want) > 0.999, "{d}");
    }
}
