//! Shooting photons (POV-Ray's photon shooting task and photon trace): for every
//! light and target, rings of directions around the line to the target's
//! bounding sphere, each photon followed through reflections and refractions
//! and stored on the surfaces it reaches after the first of them. Each photon
//! keeps the list of interiors it is inside (as a ray does): media in them dim
//! it, and after the first reflection or refraction it leaves media photons in
//! them (see [`super::media`]).

use glam::{DAffine3, DVec3};

use super::map::Photon;
use super::media::{deposits, Crossing, Deposit};
use super::{unit_random, PhotonSettings};
use crate::desc::LightPhotons;
use crate::render::spectral::Band;
use crate::render::tracer::{fade_over, greyscale, reflectivity, rgb_transm};
use crate::scene::atmosphere::media::{collects_photons, transmittance};
use crate::scene::atmosphere::{containing, interior_of};
use crate::scene::geometry::Aabb;
use crate::scene::material::{bracket, discrete_entry, Layer, Material, Texture};
use crate::scene::photon_targets::{PhotonFlags, PhotonTargets};
use crate::scene::{Hit, Light, Object, Ray, RayKind, Scene};
use crate::stats::MediaCounts;
use crate::stats::Stats;

/// POV-Ray's EPSILON.
const EPSILON: f64 = 1e-10;
/// Salts keeping the random streams of one photon apart.
const SALT_RING: u64 = 1;
const SALT_PHI: u64 = 2;
const SALT_THETA: u64 = 3;

/// The photons stored on surfaces and in media.
#[derive(Debug, Default)]
pub struct Stored {
    pub surface: Vec<Photon>,
    pub media: Vec<Photon>,
}

/// Shoots every light's photons at every target, in scene order. Returns the
/// stored photons and how many were shot.
pub fn shoot_all(
    scene: &Scene,
    settings: &PhotonSettings,
    targets: &PhotonTargets,
) -> (Stored, u64) {
    let mut out = Stored::default();
    let mut shot = 0;
    // Photons need their list of interiors only where some object has media.
    let has_media = scene
        .objects
        .iter()
        .any(|o| interior_of(o).is_some_and(|m| !m.media.is_empty()));
    let spacing = match settings.count {
        0 => settings.spacing,
        n => {
            settings.spacing
                * (estimate_count(scene, settings.spacing, targets) / f64::from(n)).sqrt()
        }
    };
    for (li, light) in scene.lights.iter().enumerate() {
        if !shoots_any(light) {
            continue;
        }
        for (ti, target) in targets.targets.iter().enumerate() {
            if !target.shot {
                continue;
            }
            let Some(combo) = Combo::new(light, target.bounds, &target.flags, spacing) else {
                continue;
            };
            let mut shooter = Shooter {
                scene,
                settings,
                light,
                target: ti as u32,
                spread: combo.spread,
                depth: 0.0,
                pass_prev: false,
                pass_this: false,
                hit_target: false,
                hits: Vec::with_capacity(32),
                stats: Stats::default(),
                has_media,
                inside: Vec::new(),
                crossings: 0,
                band: None,
                out: &mut out,
            };
            shot += shooter.shoot_at(&combo, [li as u64, ti as u64]);
        }
    }
    (out, shot)
}

/// Whether a light shoots photons at all: fill (shadowless) lights and a
/// `light_group`'s lights shoot none, as in POV-Ray 3.7.
fn shoots_any(light: &Light) -> bool {
    !light.shadowless && light.group.is_none()
}

/// Whether a light and a target's flags let photons reflect or refract at all.
fn shoots(l: &LightPhotons, t: &PhotonFlags) -> bool {
    PhotonFlags::enabled(t.refraction, l.refraction)
        || PhotonFlags::enabled(t.reflection, l.reflection)
}

/// POV-Ray's guess of the photons a spacing gives (for `count`).
fn estimate_count(scene: &Scene, spacing: f64, targets: &PhotonTargets) -> f64 {
    let mut total = 0.0;
    for light in scene.lights.iter().filter(|l| shoots_any(l)) {
        for target in targets.targets.iter().filter(|t| t.shot) {
            let (bounds, t) = (&target.bounds, &target.flags);
            let l = &light.photons;
            if !shoots(l, t) {
                continue;
            }
            let refr = PhotonFlags::enabled(t.refraction, l.refraction);
            let refl = PhotonFlags::enabled(t.reflection, l.reflection);
            let rad = Aim::new(light.position, *bounds).rad;
            let mut x = rad / (t.target.unwrap_or(1.0) * spacing);
            x = x * x * std::f64::consts::PI;
            if refr && refl {
                x *= 1.5;
            }
            if t.collect && refr {
                x *= if refl { 3.0 } else { 2.0 };
            }
            total += x * 0.5;
        }
    }
    total
}

/// The light's view of a target's bounding sphere.
#[derive(Clone, Copy)]
struct Aim {
    ctr: DVec3,
    rad: f64,
    dist: f64,
    toctr: DVec3,
    left: DVec3,
}

impl Aim {
    fn new(from: DVec3, b: Aabb) -> Aim {
        let half = (b.max - b.min) / 2.0;
        Aim::towards(from, b.min + half, half.length(), None)
    }

    /// Seen from `from`; for a parallel light `left` is square to its direction.
    fn towards(from: DVec3, ctr: DVec3, rad: f64, parallel: Option<DVec3>) -> Aim {
        let v = ctr - from;
        let dist = v.length();
        if dist < EPSILON {
            return Aim {
                ctr,
                rad,
                dist,
                toctr: DVec3::Z,
                left: DVec3::Y,
            };
        }
        let toctr = v / dist;
        let up = if (toctr.z.abs() - 1.0).abs() < 0.1 {
            DVec3::Y
        } else {
            DVec3::Z
        };
        let left = parallel.unwrap_or(toctr).cross(up).normalize_or_zero();
        Aim {
            ctr,
            rad,
            dist,
            toctr,
            left,
        }
    }
}

/// One light-target pair's shooting geometry (POV-Ray's LightTargetCombo).
struct Combo {
    aim: Aim,
    spread: f64,
    dtheta: f64,
    maxtheta: f64,
    /// A parallel light's direction: `theta` is then a distance from the axis.
    parallel: Option<DVec3>,
    /// The area light's axes and sizes when photons leave its whole grid.
    grid: Option<(DVec3, DVec3, u32, u32)>,
}

impl Combo {
    fn new(light: &Light, bounds: Aabb, flags: &PhotonFlags, spacing: f64) -> Option<Combo> {
        if !shoots(&light.photons, flags) {
            return None;
        }
        let parallel = light.is_parallel().then(|| light.aim());
        let grid = light.photon_grid().filter(|_| parallel.is_none());
        let half = (bounds.max - bounds.min) / 2.0;
        let aim = Aim::towards(light.position, bounds.min + half, half.length(), parallel);
        let mut spread = flags.target.unwrap_or(1.0) * spacing;
        if parallel.is_none() {
            spread /= aim.dist.max(EPSILON);
        }
        if let Some((_, _, n1, n2)) = grid {
            spread *= f64::from(n1 * n2).sqrt();
        }
        if spread <= 0.0 || !spread.is_finite() {
            return None;
        }
        let (dtheta, maxtheta) = match parallel {
            Some(_) => (spread, aim.rad),
            None if aim.dist >= aim.rad => (spread.atan(), (aim.rad / aim.dist).asin()),
            None => (spread.atan(), std::f64::consts::PI),
        };
        Some(Combo {
            aim,
            spread,
            dtheta,
            maxtheta,
            parallel,
            grid,
        })
    }

    /// Where the photon at angles (`theta`, `phi`) leaves from `origin` (the
    /// light or a point of its grid, seeing the target as `aim`) and its direction.
    fn photon(&self, origin: DVec3, aim: &Aim, theta: f64, phi: f64) -> (DVec3, DVec3) {
        match self.parallel {
            Some(dir) => {
                let a = dir.dot(aim.toctr);
                let base = aim.ctr - dir * (a * aim.dist);
                let v = DAffine3::from_axis_angle(dir, phi).transform_vector3(aim.left * theta);
                (base + v, dir)
            }
            None => {
                let v = -theta.sin() * aim.left + theta.cos() * aim.toctr;
                (
                    origin,
                    DAffine3::from_axis_angle(aim.toctr, phi).transform_vector3(v),
                )
            }
        }
    }
}

struct Shooter<'a, 'o> {
    scene: &'a Scene,
    settings: &'a PhotonSettings,
    light: &'a Light,
    target: u32,
    /// Distance between neighbouring photons one unit from the light.
    spread: f64,
    /// Path length from the light to the current surface.
    depth: f64,
    /// POV-Ray's pass-through state of the previous and current surface.
    pass_prev: bool,
    pass_this: bool,
    /// Some photon of the current ring reached the target.
    hit_target: bool,
    hits: Vec<Hit<'a>>,
    stats: Stats,
    /// Some object has media: photons keep their list of interiors.
    has_media: bool,
    /// The interiors the photon is inside, innermost last.
    inside: Vec<&'a Material>,
    /// Stretches through media met so far (keys of the media photons' jitter).
    crossings: u64,
    /// The wavelength band the photon carries since a dispersive refraction
    /// split it (see [`crate::render::spectral`]).
    band: Option<Band>,
    out: &'o mut Stored,
}

impl<'a> Shooter<'a, '_> {
    /// One light-target pair: rings of increasing angle `theta` from the line to
    /// the target's centre, photons spaced `dphi` round each ring.
    fn shoot_at(&mut self, c: &Combo, key: [u64; 2]) -> u64 {
        let jitter = self.settings.jitter;
        let (dtheta, maxtheta) = (c.dtheta, c.maxtheta);
        let mut shot = 0;
        let mut hit_once = false;
        let mut theta = 0.0;
        let mut ring = 0u64;
        while theta < maxtheta {
            self.hit_target = false;
            let dphi = if theta < EPSILON {
                std::f64::consts::TAU
            } else if c.parallel.is_some() {
                dtheta / theta
            } else {
                dtheta / theta.sin()
            };
            let minphi = -std::f64::consts::PI
                + dphi * unit_random(&[key[0], key[1], ring, SALT_RING]) * 0.5;
            let maxphi = std::f64::consts::PI - dphi / 2.0 + (minphi + std::f64::consts::PI);
            let mut phi = minphi;
            let mut k = 0u64;
            while phi < maxphi {
                let r = |salt| unit_random(&[key[0], key[1], ring, k, salt]) - 0.5;
                let jphi = phi + dphi * r(SALT_PHI) * jitter;
                let jtheta = theta + dtheta * r(SALT_THETA) * jitter;
                shot += self.shoot_grid(c, jtheta, jphi);
                phi += dphi;
                k += 1;
            }
            hit_once |= self.hit_target;
            if hit_once && !self.hit_target && theta > self.settings.autostop * maxtheta {
                break;
            }
            theta += dtheta;
            ring += 1;
        }
        shot
    }

    /// The photons of one direction: one, or one from each point of the area
    /// light's grid, each with its share of the light.
    fn shoot_grid(&mut self, c: &Combo, theta: f64, phi: f64) -> u64 {
        let Some((axis1, axis2, n1, n2)) = c.grid else {
            let (from, dir) = c.photon(self.light.position, &c.aim, theta, phi);
            self.shoot_one(from, dir, 1.0);
            return 1;
        };
        let share = 1.0 / f64::from(n1 * n2);
        let offset = |i: u32, n: u32, axis: DVec3| {
            if n > 1 {
                axis * (f64::from(i) / f64::from(n - 1) - 0.5)
            } else {
                DVec3::ZERO
            }
        };
        for x in 0..n1 {
            for y in 0..n2 {
                let origin = self.light.position + offset(x, n1, axis1) + offset(y, n2, axis2);
                let aim = Aim::towards(origin, c.aim.ctr, c.aim.rad, None);
                let (from, dir) = c.photon(origin, &aim, theta, phi);
                self.shoot_one(from, dir, share);
            }
        }
        u64::from(n1 * n2)
    }

    fn shoot_one(&mut self, origin: DVec3, dir: DVec3, share: f64) {
        let attenuation = self.light.beam_towards(origin, dir) * share;
        if attenuation < 0.00001 {
            return;
        }
        self.pass_prev = true;
        self.pass_this = false;
        self.depth = 0.0;
        self.inside.clear();
        if self.has_media {
            let objects = &self.scene.objects;
            let inside = containing(objects, origin).into_iter();
            self.inside
                .extend(inside.filter_map(|i| objects.get(i).and_then(interior_of)));
        }
        let colour = self.light.colour * attenuation;
        self.trace(&Ray::new(origin, dir), colour, 1.0, 0);
    }

    /// POV-Ray's photon trace of one ray; `level` rays were traced before it.
    fn trace(&mut self, ray: &Ray, colour: DVec3, weight: f64, level: u32) {
        if level >= self.settings.max_trace_level || weight < self.settings.adc_bailout {
            return;
        }
        let level = level + 1;
        let mut hits = std::mem::take(&mut self.hits);
        let found = self
            .scene
            .closest(ray, RayKind::Photon, &mut hits, &mut self.stats);
        self.hits = hits;
        let Some(hit) = found else {
            return;
        };
        let old = self.pass_prev;
        self.pass_prev = self.pass_this;
        if level == 1 || self.pass_prev {
            self.pass_this = false;
            let f = &hit.object.photons;
            let go_on = match f.group {
                Some(g) if g == self.target => {
                    self.hit_target = true;
                    true
                }
                _ => f.pass_through,
            };
            if f.pass_through && f.group != Some(self.target) {
                self.pass_this = true;
            }
            if !go_on {
                self.pass_this = self.pass_prev;
                self.pass_prev = old;
                return;
            }
        }
        self.surface(&hit, ray, colour, weight, level);
        self.pass_this = self.pass_prev;
        self.pass_prev = old;
    }

    /// A photon meeting a surface: fading inside the object, storing it, then
    /// on through the texture.
    fn surface(&mut self, hit: &Hit<'a>, ray: &Ray, mut colour: DVec3, weight: f64, level: u32) {
        let Some(material) = hit.object.material() else {
            return;
        };
        let material: &'a Material = material;
        let point = ray.at(hit.t);
        let mut outward = hit.object.normal(point, hit.part);
        if hit.object.inverse {
            outward = -outward;
        }
        let exiting = outward.dot(ray.dir) > 0.0;
        let normal = if exiting { -outward } else { outward };
        if !self.inside.is_empty() && self.inside.iter().all(|m| m.hollow) {
            colour = self.through_media(ray, hit.t, colour, level);
        }
        if let Some(i) = material.interior.as_ref() {
            if exiting && i.fade_power > 0.0 && i.fade_distance.abs() > EPSILON {
                colour *= fade_over(i, hit.t);
            }
        }
        self.depth += hit.t;
        if level > 1 && !self.pass_prev && hit.object.photons.collect {
            self.store(point, ray.origin, colour);
        }
        let s = Surface {
            object: hit.object,
            material,
            point,
            normal,
            exiting,
            at: crate::pattern::Surface {
                point,
                normal,
                dir: ray.dir,
                uv: material.uses_uv.then(|| hit.object.uv(point, hit.part)),
            },
        };
        if self.pass_this {
            // Straight on, unchanged; POV-Ray leaves the depth as it is here.
            self.trace_across(material, &Ray::new(point, ray.dir), colour, weight, level);
            return;
        }
        self.texture(&material.texture, &s, ray, colour, weight, level);
        self.depth -= hit.t;
    }

    /// A texture map sends the photon on through both textures around the
    /// pattern's value, each with its share of the light.
    fn texture(
        &mut self,
        tex: &'a Texture,
        s: &Surface<'a>,
        ray: &Ray,
        colour: DVec3,
        weight: f64,
        level: u32,
    ) {
        match tex {
            Texture::Layers(layers) => self.layers(layers, s, ray, colour, weight, level),
            Texture::Average(a) => {
                for (w, t) in &a.entries {
                    self.texture(t, s, ray, colour * *w, weight, level);
                }
            }
            Texture::Blob(b) => {
                for (w, t) in b.weighted(s.point) {
                    self.texture(t, s, ray, colour * w, weight, level);
                }
            }
            Texture::Map { pattern, map } => {
                let v = pattern.value_on(s.point, Some(&s.at));
                if pattern.pattern.kind.is_discrete() {
                    if let Some(t) = discrete_entry(map, v) {
                        self.texture(t, s, ray, colour, weight, level);
                    }
                    return;
                }
                if let Some((a, b, f)) = bracket(map, v) {
                    if f == 0.0 {
                        self.texture(a, s, ray, colour, weight, level);
                        return;
                    }
                    self.texture(b, s, ray, colour * f, weight, level);
                    self.texture(a, s, ray, colour * (1.0 - f), weight, level);
                }
            }
        }
    }

    /// The layers' filter and reflections, then the refracted and reflected
    /// photons (POV-Ray's photon ComputeLightedTexture for a caustic map).
    fn layers(
        &mut self,
        layers: &'a [Layer],
        s: &Surface<'a>,
        ray: &Ray,
        colour: DVec3,
        weight: f64,
        level: u32,
    ) {
        let bailout = self.settings.adc_bailout;
        let mut filter = DVec3::ONE;
        let mut trans = 1.0;
        let mut reflections: [(DVec3, DVec3, f64, f64); 4] =
            [(DVec3::ZERO, DVec3::ZERO, 0.0, 1.0); 4];
        let mut n_refl = 0;
        let mut top_normal = s.normal;
        for (i, layer) in layers.iter().rev().enumerate() {
            if trans <= bailout {
                break;
            }
            let normal = layer.perturb_on(s.point, s.normal, Some(&s.at));
            if i == 0 {
                top_normal = normal;
            }
            let (base, cf, ct) = layer.pigment.rgb_ft_at(s.point, Some(&s.at));
            let f = &layer.finish;
            let reflec = reflectivity(f, -ray.dir.dot(normal), s.material, base);
            if n_refl < reflections.len() {
                reflections[n_refl] = (normal, reflec, weight * trans, f.reflection.exponent);
                n_refl += 1;
            }
            filter *= rgb_transm(&crate::desc::Colour {
                r: base.x,
                g: base.y,
                b: base.z,
                f: cf,
                t: ct,
            });
            if f.conserve_energy {
                filter *= (DVec3::ONE - reflec).min(DVec3::ONE);
            }
            trans = greyscale(filter).abs().min(1.0);
        }
        let flags = &s.object.photons;
        let lp = &self.light.photons;
        let mut tir = false;
        // Every object has an interior in POV-Ray (ior 1 when the scene gives
        // none), so photons pass through any transparent surface.
        if PhotonFlags::enabled(flags.refraction, lp.refraction) && trans > bailout {
            let w = weight * filter.max_element().max(0.0);
            tir = self.refract(s, top_normal, ray, colour, filter, w, level);
        }
        if !PhotonFlags::enabled(flags.reflection, lp.reflection) {
            return;
        }
        for &(normal, reflec, w, exponent) in &reflections[..n_refl] {
            if tir && (normal - top_normal).abs().max_element() <= EPSILON {
                continue;
            }
            if reflec == DVec3::ZERO {
                continue;
            }
            let c = if exponent != 1.0 {
                reflec * colour.max(DVec3::ZERO).powf(exponent)
            } else {
                reflec * colour
            };
            self.reflect(s.point, normal, ray, c, w * reflec.max_element(), level);
        }
    }

    /// The photon refracted into or out of the object; true on total internal
    /// reflection (the photon reflected instead). Across a dispersive surface
    /// an unsplit photon splits into the interior's bands, each carrying its
    /// hue's share of the light and refracted with its own index, as POV-Ray's
    /// photons do; a photon that already carries a band keeps it.
    #[allow(clippy::too_many_arguments)]
    fn refract(
        &mut self,
        s: &Surface<'a>,
        normal: DVec3,
        ray: &Ray,
        colour: DVec3,
        filter: DVec3,
        weight: f64,
        level: u32,
    ) -> bool {
        let interior = s.material.interior.as_ref();
        let ior = interior.map_or(1.0, |i| i.ior);
        let disp = interior.map_or(1.0, |i| i.dispersion);
        let (ratio, dispersion) = if s.exiting {
            (ior, disp)
        } else {
            (1.0 / ior, 1.0 / disp)
        };
        if (ratio - 1.0).abs() < EPSILON && (dispersion - 1.0).abs() < EPSILON {
            let straight = Ray::new(s.point, ray.dir);
            self.trace_across(s.material, &straight, colour * filter, weight, level);
            return false;
        }
        let bend = (s.point, normal, ray, filter, weight, level);
        if (dispersion - 1.0).abs() < EPSILON {
            return self.refract_at(s.material, bend, ratio, colour);
        }
        if let Some(band) = self.band {
            return self.refract_at(s.material, bend, band.ior(ratio, dispersion), colour);
        }
        let bands = interior.map_or(7, |i| i.dispersion_samples).max(1);
        for i in 0..bands {
            let band = Band::of(i, bands);
            self.band = Some(band);
            let share = colour * band.hue() / f64::from(bands);
            self.refract_at(s.material, bend, band.ior(ratio, dispersion), share);
        }
        self.band = None;
        false
    }

    /// The photon refracted with index ratio `ior` (Heckbert's method), or
    /// totally reflected (true).
    fn refract_at(&mut self, m: &'a Material, bend: Bend<'_>, ior: f64, colour: DVec3) -> bool {
        let (point, normal, ray, filter, weight, level) = bend;
        let n = -ray.dir.dot(normal);
        let t = 1.0 + ior * ior * (n * n - 1.0);
        if t < 0.0 {
            self.reflect(point, normal, ray, colour, weight, level);
            return true;
        }
        let dir = (ray.dir * ior + normal * (ior * n - t.sqrt())).normalize_or_zero();
        self.trace_across(m, &Ray::new(point, dir), colour * filter, weight, level);
        false
    }

    /// Traces `ray` on from a surface of `m` it crosses: out of its interior
    /// when the photon is inside it, else into it (POV-Ray's toggle of the
    /// ray's interior list), the list restored after.
    fn trace_across(&mut self, m: &'a Material, ray: &Ray, colour: DVec3, weight: f64, level: u32) {
        if !self.has_media {
            self.trace(ray, colour, weight, level);
            return;
        }
        let id = m.interior_id;
        match self.inside.iter().rposition(|x| x.interior_id == id) {
            Some(i) => {
                let left = self.inside.remove(i);
                self.trace(ray, colour, weight, level);
                self.inside.insert(i, left);
            }
            None => {
                self.inside.push(m);
                self.trace(ray, colour, weight, level);
                self.inside.pop();
            }
        }
    }

    /// `colour` after the media of the interiors the photon is in, over `t`
    /// along `ray`; after the photon's first reflection or refraction (and
    /// not straight after a pass-through object) it leaves media photons there.
    fn through_media(&mut self, ray: &Ray, t: f64, mut colour: DVec3, level: u32) -> DVec3 {
        let settings = self.settings;
        let deposit = level > 1 && !self.pass_prev && settings.media_steps > 0;
        let scene = self.scene;
        for k in 0..self.inside.len() {
            let material: &'a Material = self.inside[k];
            let media = &material.media;
            if media.is_empty() {
                continue;
            }
            if deposit && collects_photons(media) {
                self.crossings += 1;
                let crossing = Crossing {
                    ray,
                    length: t,
                    depth: self.depth,
                    spread: self.spread,
                    parallel: self.light.is_parallel(),
                    colour,
                    key: self.crossings,
                };
                let steps = (settings.media_steps, settings.media_factor);
                let mut store = |d: Deposit| {
                    let c = self.scaled(d.colour, d.depth);
                    self.out.media.push(Photon::new(d.point, ray.origin, c));
                };
                deposits(scene, media, &crossing, steps, settings.jitter, &mut store);
            }
            // The render's statistics count the render's media samples only.
            colour *= transmittance(media, ray, t, &mut MediaCounts::default());
        }
        colour
    }

    fn reflect(
        &mut self,
        p: DVec3,
        normal: DVec3,
        ray: &Ray,
        colour: DVec3,
        weight: f64,
        level: u32,
    ) {
        let dir = ray.dir - normal * (2.0 * ray.dir.dot(normal));
        self.trace(&Ray::new(p, dir), colour, weight, level);
    }

    /// Stores a photon on a surface.
    fn store(&mut self, p: DVec3, from: DVec3, colour: DVec3) {
        let c = self.scaled(colour, self.depth);
        self.out.surface.push(Photon::new(p, from, c));
    }

    /// A photon's light `depth` from the light scaled as POV-Ray stores it:
    /// undoing the light's distance fade, times the area one photon stands for
    /// at this distance.
    fn scaled(&self, colour: DVec3, depth: f64) -> DVec3 {
        let fade = match self.light.fade() {
            Some((distance, power)) => 2.0 / (1.0 + (depth / distance).powf(power)),
            None => 1.0,
        };
        let mut c = colour * (fade * self.spread * self.spread);
        if !self.light.is_parallel() {
            c *= depth * depth;
        }
        c
    }
}

/// Where and how a photon refracts: the point, the normal facing it, the
/// photon's ray, the layers' filter, its weight and trace level.
type Bend<'r> = (DVec3, DVec3, &'r Ray, DVec3, f64, u32);

/// A surface a photon meets, with the normal facing the photon.
struct Surface<'a> {
    object: &'a Object,
    material: &'a Material,
    point: DVec3,
    normal: DVec3,
    exiting: bool,
    /// The hit as patterns read it (uv-mapped ones its uv), as the render's.
    at: crate::pattern::Surface,
}
