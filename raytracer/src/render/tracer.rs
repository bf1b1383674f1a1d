//! Following one ray through the scene and shading what it hits, with POV-Ray 3.7's
//! lighting model: ambient, diffuse with brilliance, phong, specular, metallic
//! highlights, reflection (plain, min/max with falloff, fresnel, metallic),
//! refraction with filter and transmit (split into wavelength bands across a
//! dispersive interior), shadows filtered by transparent objects,
//! spotlights and light fading, `max_trace_level` and `adc_bailout`.

use glam::{DVec2, DVec3};

use super::atmosphere::media_shadow;
use super::photons::estimate::PhotonPoint;
use super::photons::Gathered;
use super::radiosity::RadState;
use super::spectral::Band;
use super::subsurface::{ScatterPoint, SubsurfaceState};
use super::Lighting;
use crate::desc::{Colour, Finish, Interior};
use crate::pattern::Surface;
use crate::scene::atmosphere::{interior_of, ESCAPE_DEPTH};
use crate::scene::light::{jitter_hash, LightRay};
use crate::scene::light_group;
use crate::scene::material::{bracket, discrete_entry, irid_tint, Layer, Material, Texture};
use crate::scene::{Hit, Light, Ray, RayKind, Scene};
use crate::stats::MediaCounts;
use crate::stats::Stats;

/// Below this a cosine counts as zero (POV-Ray's EPSILON).
const EPSILON: f64 = 1e-10;
/// POV-Ray stores an interior's `caustics` times this, the exponent of its fake
/// caustics.
const CAUSTICS_SCALE: f64 = 45.0;
/// Keeps `crand`'s hash values apart from the area lights' jitter.
const CRAND_SALT: u64 = 1 << 40;
/// Shadow rays ignore hits this close to their start, against surface acne.
const SHADOW_TOLERANCE: f64 = 1e-3;

/// POV-Ray's grey value of a colour.
#[inline]
pub fn greyscale(c: DVec3) -> f64 {
    0.297 * c.x + 0.589 * c.y + 0.114 * c.z
}

fn rgb(c: &Colour) -> DVec3 {
    DVec3::new(c.r, c.g, c.b)
}

/// The light a layer lets through: its colour times filter, plus transmit.
pub(crate) fn rgb_transm(c: &Colour) -> DVec3 {
    rgb(c) * c.f + DVec3::splat(c.t)
}

/// Per-thread tracing state: the scene, reusable hit buffers and counters.
pub struct Tracer<'a> {
    pub scene: &'a Scene,
    /// The scene's photon maps and radiosity.
    pub lighting: &'a Lighting,
    hits: Vec<Hit<'a>>,
    shadow_hits: Vec<Hit<'a>>,
    /// Per light, the object that last blocked it (see [`Scene::shadow_filter`]).
    shadow_cache: Vec<Option<usize>>,
    pub stats: Stats,
    legacy_opacity: bool,
    /// The ray being traced is outside every solid object, so it sees the fogs
    /// and rainbows (POV-Ray's "hollow ray").
    pub(crate) hollow: bool,
    /// The surfaces of the objects the ray is inside, innermost last.
    pub(super) inside: Vec<&'a Material>,
    /// The lights media scatter (`media_interaction`), as indices: for rays
    /// that end on no object or on one in no `light_group` first, then for
    /// rays that end on an object of each group (see [`media_lights`]).
    pub(super) media_lights: Vec<Vec<usize>>,
    /// Radiosity's cache and bounce depth, when the scene has radiosity.
    pub(crate) rad: Option<RadState<'a>>,
    /// Set for the next traced ray by a radiosity sample ray: the importance an
    /// object it meets first needs to be shaded (see `radiosity::gather`).
    pub(crate) importance_query: Option<f32>,
    /// The importance of what the last queried ray met first.
    pub(crate) importance_found: f32,
    /// POV-Ray's radiosity quality of the sample ray being traced: lowered
    /// where it reused too few samples, raised by the samples it gathered.
    pub(crate) rad_quality: f32,
    /// The photons gathered at the point being shaded.
    photon_gather: Gathered,
    /// The media photons gathered at a media sample (see render::atmosphere).
    pub(super) media_gather: Gathered,
    /// The surface or medium being lit collects photons: targets refracting a
    /// light's photons cast full shadows from it (the photons bring its light).
    pub(super) photon_shadows: bool,
    /// Subsurface scattering's depth, tables and hit buffer.
    pub(super) sslt: SubsurfaceState<'a>,
    /// The wavelength band the current ray carries, once a dispersive
    /// refraction split it (POV-Ray's monochromatic ray): every refraction
    /// after that uses this band's index instead of splitting again.
    band: Option<Band>,
}

/// Where a ray meets a surface, with the normal facing the ray.
/// A refracted ray's passage through a surface (see [`Tracer::crossing`]).
#[derive(Clone, Copy)]
struct Crossing {
    /// Index of refraction before over after.
    ratio: f64,
    /// Dispersion before over after, and the bands a split of the ray takes
    /// (see [`super::spectral`]).
    dispersion: f64,
    bands: u32,
    /// The place in the list of interiors of the one the ray leaves; `None`
    /// when it enters the surface's interior.
    leaves: Option<usize>,
}

/// The normal a refraction bends about: the incidence cosine, the side facing
/// the ray, and the (perturbed) normal a total reflection mirrors in.
struct Bend {
    n: f64,
    facing: DVec3,
    normal: DVec3,
}

struct SurfacePoint<'a> {
    point: DVec3,
    normal: DVec3,
    /// True when the ray leaves the object's inside.
    exiting: bool,
    /// Distance travelled from the ray's origin (inside the object when exiting).
    depth: f64,
    material: &'a Material,
    /// `double_illuminate`: lights behind the surface light it too.
    double_illuminate: bool,
    /// Why the ray that met the surface was traced (its refraction inherits it).
    kind: RayKind,
    /// The object collects photons (`photons { collect }`, on by default).
    collects: bool,
    /// The surface uv, when the texture has a uv-mapped part.
    uv: Option<DVec2>,
    /// The object's `light_group`, which decides the lights that light it.
    light_group: Option<u32>,
}

impl SurfacePoint<'_> {
    /// What the surface patterns (slope, aoi) read of this hit.
    fn hit(&self, ray: &Ray) -> Surface {
        Surface {
            point: self.point,
            normal: self.normal,
            dir: ray.dir,
            uv: self.uv,
        }
    }
}

impl<'a> Tracer<'a> {
    pub fn new(scene: &'a Scene, lighting: &'a Lighting) -> Self {
        let s = &scene.settings;
        let camera_inside: Vec<&'a Material> = scene
            .atmosphere
            .camera_inside
            .iter()
            .filter_map(|&i| scene.objects.get(i).and_then(interior_of))
            .collect();
        Tracer {
            scene,
            lighting,
            hits: Vec::with_capacity(32),
            shadow_hits: Vec::with_capacity(32),
            shadow_cache: vec![None; scene.lights.len()],
            stats: Stats::default(),
            legacy_opacity: !(s.version_set && s.version >= 3.7),
            hollow: camera_inside.iter().all(|m| m.hollow),
            inside: camera_inside,
            media_lights: media_lights(scene),
            rad: None,
            importance_query: None,
            importance_found: 1.0,
            rad_quality: 1.0,
            photon_gather: Gathered::default(),
            media_gather: Gathered::default(),
            photon_shadows: false,
            sslt: SubsurfaceState::default(),
            band: None,
        }
    }

    /// Colour seen along a camera ray.
    pub fn trace_camera(&mut self, ray: &Ray) -> DVec3 {
        self.stats.camera_rays += 1;
        self.trace(ray, RayKind::Camera, 1.0, 1)
    }

    /// The finish's subsurface block when subsurface light transport is on
    /// (the scene's `global_settings` has a `subsurface` block).
    fn scatters_under<'f>(&self, f: &'f Finish) -> Option<&'f crate::desc::Subsurface> {
        f.subsurface
            .as_ref()
            .filter(|_| self.scene.settings.subsurface.is_some())
    }

    /// Colour seen along `ray`; `level` counts from 1 for camera rays.
    pub(super) fn trace(&mut self, ray: &Ray, kind: RayKind, weight: f64, level: u32) -> DVec3 {
        self.trace_depth(ray, kind, weight, level).0
    }

    /// Colour seen along `ray` and the distance to the surface it hit (infinite
    /// when it hit none).
    pub(crate) fn trace_depth(
        &mut self,
        ray: &Ray,
        kind: RayKind,
        weight: f64,
        level: u32,
    ) -> (DVec3, f64) {
        // POV-Ray counts a ray even when the level limit stops it.
        self.stats.rays += 1;
        let query = self.importance_query.take();
        if level > self.scene.settings.max_trace_level {
            return (DVec3::ZERO, f64::INFINITY);
        }
        self.stats.max_level = self.stats.max_level.max(level);
        let mut hits = std::mem::take(&mut self.hits);
        let found = self.scene.closest(ray, kind, &mut hits, &mut self.stats);
        self.hits = hits;
        if let Some(wanted) = query {
            // A radiosity sample ray: an object less important than the ray's
            // place in the sample asks for is not shaded, only its distance kept.
            let default = self.scene.settings.radiosity_importance;
            let importance = found.as_ref().map_or(default, |h| {
                h.object.radiosity_importance.unwrap_or(default)
            });
            self.importance_found = importance;
            if importance < wanted {
                return (DVec3::ZERO, found.map_or(f64::INFINITY, |h| h.t));
            }
        }
        let Some(hit) = found else {
            let sky = self.scene.atmosphere.sky(ray.dir);
            return (self.between(ray, ESCAPE_DEPTH, sky, None), f64::INFINITY);
        };
        let Some(material) = hit.object.material() else {
            return (DVec3::ZERO, hit.t);
        };
        let point = ray.at(hit.t);
        let mut outward = hit.object.normal(point, hit.part);
        if hit.object.inverse {
            outward = -outward;
        }
        let exiting = outward.dot(ray.dir) > 0.0;
        let normal = if exiting { -outward } else { outward };
        let sp = SurfacePoint {
            point,
            normal,
            exiting,
            depth: hit.t,
            material,
            double_illuminate: hit.object.double_illuminate,
            kind,
            collects: hit.object.photons.collect,
            uv: material.uses_uv.then(|| hit.object.uv(point, hit.part)),
            light_group: hit.object.light_group,
        };
        let texture = material.texture_seen(exiting);
        let colour = self.shade_texture(texture, &sp, ray, weight, level);
        (
            self.between(ray, hit.t, colour, Some(hit.object.light_group)),
            hit.t,
        )
    }

    fn shade_texture(
        &mut self,
        tex: &'a Texture,
        sp: &SurfacePoint<'a>,
        ray: &Ray,
        weight: f64,
        level: u32,
    ) -> DVec3 {
        match tex {
            Texture::Layers(layers) => self.shade_layers(layers, sp, ray, weight, level),
            Texture::Average(a) => a.entries.iter().fold(DVec3::ZERO, |sum, (w, t)| {
                sum + self.shade_texture(t, sp, ray, weight, level) * *w
            }),
            Texture::Blob(b) => {
                // POV-Ray skips a texture whose share is below adc_bailout.
                let bailout = self.scene.settings.adc_bailout;
                b.weighted(sp.point)
                    .into_iter()
                    .filter(|&(w, _)| w >= bailout)
                    .fold(DVec3::ZERO, |sum, (w, t)| {
                        sum + self.shade_texture(t, sp, ray, weight, level) * w
                    })
            }
            Texture::Map { pattern, map } => {
                let v = pattern.value_on(sp.point, Some(&sp.hit(ray)));
                if pattern.pattern.kind.is_discrete() {
                    return match discrete_entry(map, v) {
                        Some(t) => self.shade_texture(t, sp, ray, weight, level),
                        None => DVec3::ZERO,
                    };
                }
                match bracket(map, v) {
                    None => DVec3::ZERO,
                    Some((a, b, f)) => {
                        let ca = self.shade_texture(a, sp, ray, weight, level);
                        if f == 0.0 {
                            return ca;
                        }
                        let cb = self.shade_texture(b, sp, ray, weight, level);
                        ca + (cb - ca) * f
                    }
                }
            }
        }
    }

    /// POV-Ray's layered shading: layers from the top down, each dimmed by the light
    /// the layers above let through; then refraction through all of them, then each
    /// layer's reflection.
    fn shade_layers(
        &mut self,
        layers: &'a [Layer],
        sp: &SurfacePoint<'a>,
        ray: &Ray,
        weight: f64,
        level: u32,
    ) -> DVec3 {
        let bailout = self.scene.settings.adc_bailout;
        let mut result = DVec3::ZERO;
        let mut filter = DVec3::ONE;
        let mut trans = 1.0;
        let mut reflections: [(DVec3, DVec3, f64, f64); 4] =
            [(DVec3::ZERO, DVec3::ZERO, 0.0, 1.0); 4];
        let mut n_refl = 0;
        let mut top_normal = sp.normal;
        let radiosity = self
            .rad
            .as_ref()
            .map(|r| r.rad.settings.recursion_limit > r.depth);
        let mut rad_ambient = None;
        // Taken out while the layers are lit: radiosity's rays may shade others.
        let mut gathered = std::mem::take(&mut self.photon_gather);
        gathered.reset();
        for (i, layer) in layers.iter().rev().enumerate() {
            if trans <= bailout {
                break;
            }
            let normal = self.layer_normal(layer, sp, ray);
            if i == 0 {
                top_normal = normal;
            }
            let (base, cf, ct) = layer.pigment.rgb_ft_at(sp.point, Some(&sp.hit(ray)));
            let f = &layer.finish;
            let cos_i = -ray.dir.dot(normal);
            let reflec = reflectivity(f, cos_i, sp.material, base);
            if reflec != DVec3::ZERO && n_refl < reflections.len() {
                reflections[n_refl] = (normal, reflec, weight * trans, f.reflection.exponent);
                n_refl += 1;
            }
            let att = if self.legacy_opacity {
                1.0 - (cf * base.x.max(base.y).max(base.z) + ct)
            } else {
                1.0 - (cf + ct)
            };
            let mut local = base * rgb(&f.emission) * att;
            if radiosity == Some(true) {
                let amb = *rad_ambient.get_or_insert_with(|| {
                    let most = greyscale(filter * base) * att * f.diffuse;
                    self.radiosity_for(sp, normal, weight * most, most)
                });
                local += base * amb * (att * f.diffuse);
            }
            // POV-Ray 3.7 drops `ambient` under radiosity, except in legacy scenes.
            if radiosity.is_none() || self.legacy_ambient() {
                local += base * rgb(&f.ambient) * self.scene.settings.ambient_light * att;
            }
            // Subsurface scattering replaces the diffuse term (see `super::subsurface`).
            if let Some(subsurface) = self.scatters_under(f) {
                local += self.subsurface_light(&ScatterPoint {
                    point: sp.point,
                    normal: sp.normal,
                    dir: ray.dir,
                    interior_id: sp.material.interior_id,
                    ior: sp.material.interior.as_ref().map_or(1.0, |i| i.ior),
                    eta: 1.0 / self.crossing(sp.material).ratio,
                    base,
                    subsurface,
                    light_group: sp.light_group,
                    kind: sp.kind,
                    level,
                });
            }
            let skip_direct = self
                .rad
                .as_ref()
                .is_some_and(|r| r.skip_direct && r.depth == 0);
            if !skip_direct
                && (f.diffuse != 0.0
                    || f.diffuse_back != 0.0
                    || f.specular != 0.0
                    || f.phong != 0.0)
            {
                local += self.direct_light(f, sp, normal, ray, base, att);
                if let Some(map) = self.lighting.photons().filter(|_| sp.collects) {
                    let at = PhotonPoint {
                        point: sp.point,
                        normal,
                        raw_normal: sp.normal,
                        ray,
                        double_illuminate: sp.double_illuminate,
                    };
                    local += map.light_at(f, &at, base, att, &mut gathered);
                }
            }
            result += local * filter;
            filter *= base * cf + DVec3::splat(ct);
            if f.conserve_energy {
                // Light reflected off this layer is not also let through.
                filter *= (DVec3::ONE - reflec).min(DVec3::ONE);
            }
            trans = greyscale(filter).abs().min(1.0);
        }
        self.photon_gather = gathered;
        let mut tir = false;
        if trans > bailout {
            let w = filter.x.abs().max(filter.y.abs()).max(filter.z.abs());
            let (col, reflected) = self.refract(sp, top_normal, ray, weight * w, level);
            tir = reflected;
            // Totally reflected light is not filtered by the layers, but still fades.
            let through = if tir { col } else { col * filter };
            result += through * self.interior_fade(sp);
        }
        for &(normal, reflec, w, exponent) in &reflections[..n_refl] {
            let rw = w * reflec.max_element();
            // After total internal reflection, POV-Ray skips the reflections off
            // the top layer's normal: the refraction ray already was one.
            if rw < bailout || (tir && (normal - top_normal).abs().max_element() <= EPSILON) {
                continue;
            }
            let dir = reflected_dir(ray.dir, normal, sp.normal);
            self.stats.reflected_rays += 1;
            let mut c = self.trace(&Ray::new(sp.point, dir), RayKind::Reflected, rw, level + 1);
            if exponent != 1.0 {
                c = c.max(DVec3::ZERO).powf(exponent);
            }
            result += c * reflec;
        }
        result
    }

    /// The radiosity light at `sp` (see [`super::radiosity`]), when it can show
    /// (`most`, the largest share it can have, above the bail-out).
    fn radiosity_for(
        &mut self,
        sp: &SurfacePoint<'a>,
        normal: DVec3,
        weight: f64,
        most: f64,
    ) -> DVec3 {
        let bailout = match &self.rad {
            Some(r) if r.depth > 0 => r.rad.settings.adc_bailout,
            _ => self.scene.settings.adc_bailout,
        };
        if most <= bailout {
            return DVec3::ZERO;
        }
        self.radiosity_ambient(sp.point, sp.normal, normal, weight)
    }

    /// Whether the ray being traced sees media, fog and rainbows: POV-Ray traces
    /// radiosity's sample rays, their children and their shadow rays without
    /// them unless `radiosity { media on }`.
    pub(super) fn sees_volumes(&self) -> bool {
        self.rad
            .as_ref()
            .is_none_or(|r| r.depth == 0 || r.rad.settings.media)
    }

    /// True while tracing one of radiosity's sample rays (or what they spawn).
    fn in_radiosity_ray(&self) -> bool {
        self.rad.as_ref().is_some_and(|r| r.depth > 0)
    }

    /// Scenes before 3.7 keep `ambient` on top of radiosity.
    fn legacy_ambient(&self) -> bool {
        let s = &self.scene.settings;
        !(s.version_set && s.version >= 3.7)
    }

    fn layer_normal(&self, layer: &Layer, sp: &SurfacePoint<'a>, ray: &Ray) -> DVec3 {
        layer.perturb_on(sp.point, sp.normal, Some(&sp.hit(ray)))
    }

    /// Diffuse, phong and specular light from every light source at `p`.
    fn direct_light(
        &mut self,
        f: &Finish,
        sp: &SurfacePoint<'a>,
        n: DVec3,
        ray: &Ray,
        base: DVec3,
        att: f64,
    ) -> DVec3 {
        let mut out = DVec3::ZERO;
        let scene = self.scene;
        let p = sp.point;
        // With subsurface scattering the finish has no surface diffuse term.
        let without_diffuse;
        let f = if self.scatters_under(f).is_some() {
            without_diffuse = Finish {
                diffuse: 0.0,
                diffuse_back: 0.0,
                ..f.clone()
            };
            &without_diffuse
        } else {
            f
        };
        self.photon_shadows = sp.collects && self.lighting.photons().is_some();
        for (light_index, light) in scene.lights.iter().enumerate() {
            if !light_group::lights(light.group, sp.light_group, &scene.light_groups) {
                continue;
            }
            let lray = light.ray_from(p, DVec3::ZERO);
            let l = lray.dir;
            let mut lc = light.colour * light.attenuation(p, &lray);
            if lc.abs().max_element() < EPSILON {
                continue;
            }
            // A light behind the surface lights only its diffuse_back.
            let backside = !sp.double_illuminate && n.dot(l) < EPSILON;
            if backside && f.diffuse_back == 0.0 {
                continue;
            }
            if !light.shadowless || light.projects_through() {
                lc = self.light_shadow(light_index, light, p, &lray, lc);
                if light.media_attenuation {
                    lc *= scene.atmosphere.light_through(
                        p,
                        l,
                        lray.depth,
                        self.hollow,
                        &mut self.stats.media,
                    );
                }
                if lc.abs().max_element() <= EPSILON {
                    continue;
                }
            }
            // crand: POV-Ray's random darkening of the diffuse term, here a hash of
            // the point so it does not depend on the render order.
            let crand = if f.crand > 0.0 {
                let k = CRAND_SALT + light_index as u64;
                (jitter_hash(p, k) + 0.5) * f.crand
            } else {
                0.0
            };
            // Radiosity's sample rays see no highlights.
            let no_highlights = light.shadowless || self.in_radiosity_ray();
            let mut c = lit_colour(
                f,
                lc,
                l,
                n,
                ray,
                base,
                (att, crand),
                no_highlights,
                backside,
            );
            if f.irid > 0.0 {
                let s = &scene.settings;
                c *= irid_tint(f, s.irid_wavelength, l, ray.dir, n, p, s.noise_generator);
            }
            out += c;
        }
        self.photon_shadows = false;
        out
    }

    /// The light `lc` (already attenuated) arriving at `p` from `light` past every
    /// shadow: one ray, or an area light's sampled grid (see [`crate::scene::light`]).
    pub(super) fn light_shadow(
        &mut self,
        index: usize,
        light: &'a Light,
        p: DVec3,
        lray: &LightRay,
        lc: DVec3,
    ) -> DVec3 {
        // Radiosity's sample rays see area lights as point lights, as POV-Ray's do.
        let area = light.area.as_ref().filter(|_| !self.in_radiosity_ray());
        match area {
            None => lc * self.point_shadow(index, light, p, lray),
            Some(grid) => grid.shadow(light, p, lray, lc, |r| {
                self.point_shadow(index, light, p, r)
            }),
        }
    }

    /// What one ray towards a light lets through: `projected_through` first, then
    /// the objects in between (none for a shadowless light).
    pub(super) fn point_shadow(
        &mut self,
        index: usize,
        light: &'a Light,
        p: DVec3,
        r: &LightRay,
    ) -> DVec3 {
        let mut scratch = std::mem::take(&mut self.shadow_hits);
        let reach = light.shadow_reach(p, r, &mut scratch, &mut self.stats);
        self.shadow_hits = scratch;
        match reach {
            None => DVec3::ZERO,
            Some(_) if light.shadowless => DVec3::ONE,
            Some(reach) => {
                self.shadow_filter(index, p, r.dir, reach.min(r.depth - SHADOW_TOLERANCE))
            }
        }
    }

    /// How much of a light reaches `p` through the objects in between: zero when an
    /// opaque object blocks it, the product of the filter colours otherwise.
    pub(super) fn shadow_filter(&mut self, light: usize, p: DVec3, l: DVec3, dist: f64) -> DVec3 {
        self.stats.shadow_rays += 1;
        let ray = Ray::new(p, l);
        let mut scratch = std::mem::take(&mut self.shadow_hits);
        let mut cache = self.shadow_cache.get(light).copied().flatten();
        // Where the ray entered the interior it now crosses: an interior fades
        // over the path inside it (from the start when the ray began inside).
        // Keyed by the interior, shared by a CSG's children, whose hits come
        // together and in order, so the result does not depend on the order
        // objects are tested in.
        let mut entry: Option<(u32, f64)> = None;
        // Where the ray entered a hollow object holding media (see media_shadow).
        let mut media_entry = None;
        let photon_light = self
            .scene
            .lights
            .get(light)
            .map(|l| &l.photons)
            .filter(|_| self.photon_shadows);
        let volumes = self.sees_volumes();
        let mut media_counts = MediaCounts::default();
        let filter =
            self.scene
                .shadow_filter(&ray, dist, &mut scratch, &mut self.stats, &mut cache, |h| {
                    if h.t <= SHADOW_TOLERANCE || h.t >= dist {
                        return DVec3::ONE;
                    }
                    match h.object.material() {
                        Some(m) if m.opaque => DVec3::ZERO,
                        Some(_) if photon_light.is_some_and(|l| h.object.photons.blocks(l)) => {
                            DVec3::ZERO
                        }
                        Some(m) => {
                            let (tex, at) = shadow_hit(m, h, &ray);
                            let mut f = transmitted(tex, &at);
                            if let Some(i) = m.interior.as_ref().filter(|i| shadow_alters(i)) {
                                f *= through_interior(i, m, h, &ray, &mut entry);
                            }
                            if volumes && m.hollow && !m.media.is_empty() {
                                f *= media_shadow(&mut media_entry, h, &ray, &mut media_counts);
                            }
                            f
                        }
                        None => DVec3::ONE,
                    }
                });
        if let Some(slot) = self.shadow_cache.get_mut(light) {
            *slot = cache;
        }
        self.shadow_hits = scratch;
        self.stats.media.add(media_counts);
        self.stats.shadow_blocked += u64::from(filter != DVec3::ONE);
        filter
    }

    /// Refracted light (and whether total internal reflection happened instead).
    /// Across a dispersive surface an unsplit ray splits into the crossing's
    /// bands, each refracted with its own index and weighted by its hue; a ray
    /// that already carries a band refracts with that band's index.
    fn refract(
        &mut self,
        sp: &SurfacePoint<'a>,
        normal: DVec3,
        ray: &Ray,
        weight: f64,
        level: u32,
    ) -> (DVec3, bool) {
        let crossing = self.crossing(sp.material);
        let (ratio, dispersion) = (crossing.ratio, crossing.dispersion);
        if (ratio - 1.0).abs() < EPSILON && (dispersion - 1.0).abs() < EPSILON {
            // Between equal indices the ray goes on as the same ray, as POV-Ray
            // continues it: it spends no trace level (a camera ray may cross any
            // number of see-through shells), but is stopped where its own level
            // is already the limit.
            self.stats.transmitted_rays += 1;
            if level >= self.scene.settings.max_trace_level {
                self.stats.rays += 1;
                return (DVec3::ZERO, false);
            }
            let straight = Ray::new(sp.point, ray.dir);
            return (
                self.trace_refracted(sp, crossing, &straight, weight, level),
                false,
            );
        }
        // A perturbed normal may face away from the ray: refract about its
        // viewer-facing side, as POV-Ray does.
        let n = -ray.dir.dot(normal);
        let facing = if n >= 0.0 { normal } else { -normal };
        let bend = Bend {
            n: n.abs(),
            facing,
            normal,
        };
        if (dispersion - 1.0).abs() < EPSILON {
            return self.refract_at(sp, crossing, &bend, ratio, ray, weight, level);
        }
        if let Some(band) = self.band {
            let ior = band.ior(ratio, dispersion);
            return self.refract_at(sp, crossing, &bend, ior, ray, weight, level);
        }
        let bands = crossing.bands.max(1);
        let mut sum = DVec3::ZERO;
        for i in 0..bands {
            let band = Band::of(i, bands);
            self.band = Some(band);
            let ior = band.ior(ratio, dispersion);
            let (c, _) = self.refract_at(sp, crossing, &bend, ior, ray, weight, level);
            sum += c * band.hue();
        }
        self.band = None;
        // POV-Ray filters a split ray's light even where a band reflected.
        (sum / f64::from(bands), false)
    }

    /// The ray refracted with index ratio `ior` about `bend` (Heckbert's
    /// method), or totally reflected.
    #[allow(clippy::too_many_arguments)]
    fn refract_at(
        &mut self,
        sp: &SurfacePoint<'a>,
        crossing: Crossing,
        bend: &Bend,
        ior: f64,
        ray: &Ray,
        weight: f64,
        level: u32,
    ) -> (DVec3, bool) {
        let n = bend.n;
        let t = 1.0 + ior * ior * (n * n - 1.0);
        if t < 0.0 {
            self.stats.reflected_rays += 1;
            self.stats.internal_reflected_rays += 1;
            let dir = reflected_dir(ray.dir, bend.normal, sp.normal);
            let reflected = self.trace(
                &Ray::new(sp.point, dir),
                RayKind::Reflected,
                weight,
                level + 1,
            );
            return (reflected, true);
        }
        self.stats.refracted_rays += 1;
        let dir = (ray.dir * ior + bend.facing * (ior * n - t.sqrt())).normalize_or_zero();
        let refracted =
            self.trace_refracted(sp, crossing, &Ray::new(sp.point, dir), weight, level + 1);
        (refracted, false)
    }

    /// What crossing the surface of `material` does to the ray's list of
    /// interiors, and the ratios of indices and dispersions across it, by
    /// POV-Ray's rules: the list decides, not the surface normal. Leaving the
    /// innermost interior goes back to the one around it; leaving one of
    /// overlapping objects changes nothing; entering another object inside one
    /// is a change from the innermost to it.
    fn crossing(&self, material: &Material) -> Crossing {
        let ior = |m: &Material| m.interior.as_ref().map_or(1.0, |i| i.ior);
        let disp = |m: &Material| m.interior.as_ref().map_or(1.0, |i| i.dispersion);
        let bands = |m: &Material| m.interior.as_ref().map_or(7, |i| i.dispersion_samples);
        let id = material.interior_id;
        let Some(innermost) = self.inside.last() else {
            return Crossing {
                ratio: 1.0 / ior(material),
                dispersion: 1.0 / disp(material),
                bands: bands(material),
                leaves: None,
            };
        };
        if innermost.interior_id == id {
            let n = self.inside.len();
            let outer = (n >= 2).then(|| self.inside[n - 2]);
            return Crossing {
                ratio: ior(material) / outer.map_or(1.0, ior),
                dispersion: disp(material) / outer.map_or(1.0, disp),
                bands: bands(material).max(outer.map_or(0, bands)),
                leaves: Some(n - 1),
            };
        }
        match self.inside.iter().rposition(|m| m.interior_id == id) {
            Some(i) => Crossing {
                ratio: 1.0,
                dispersion: 1.0,
                bands: bands(material),
                leaves: Some(i),
            },
            None => Crossing {
                ratio: ior(innermost) / ior(material),
                dispersion: disp(innermost) / disp(material),
                bands: bands(material),
                leaves: None,
            },
        }
    }

    /// A ray through the surface at trace level `level`, entering or leaving the
    /// object's interior (as POV-Ray keeps a ray's list of interiors): inside a
    /// solid object it sees no atmosphere, inside one with media it sees them.
    fn trace_refracted(
        &mut self,
        sp: &SurfacePoint<'a>,
        crossing: Crossing,
        ray: &Ray,
        weight: f64,
        level: u32,
    ) -> DVec3 {
        let left = match crossing.leaves {
            Some(i) => Some((i, self.inside.remove(i))),
            None => {
                self.inside.push(sp.material);
                None
            }
        };
        let outer = self.hollow;
        self.hollow = self.sees_volumes() && self.inside.iter().all(|m| m.hollow);
        let c = self.trace(ray, sp.kind.refracted(), weight, level);
        self.hollow = outer;
        match left {
            Some((i, m)) => self.inside.insert(i, m),
            None => {
                self.inside.pop();
            }
        }
        c
    }

    /// Interior fading of light that crossed the object's inside to reach this
    /// surface from within.
    fn interior_fade(&self, sp: &SurfacePoint<'a>) -> DVec3 {
        let Some(i) = sp.material.interior.as_ref() else {
            return DVec3::ONE;
        };
        if !sp.exiting || i.fade_distance.abs() <= EPSILON {
            return DVec3::ONE;
        }
        fade_over(i, sp.depth)
    }
}

/// Reflection colour of a layer at incidence cosine `cos_i` (3.7's min/max,
/// falloff, fresnel and metallic reflection).
pub(crate) fn reflectivity(f: &Finish, cos_i: f64, m: &Material, base: DVec3) -> DVec3 {
    let r = &f.reflection;
    let (min, max) = (rgb(&r.min), rgb(&r.max));
    if min == DVec3::ZERO && max == DVec3::ZERO {
        return DVec3::ZERO;
    }
    let cos_i = cos_i.clamp(0.0, 1.0);
    let mut reflec = if r.fresnel {
        let ior = m.interior.as_ref().map_or(1.0, |i| i.ior);
        min + (max - min) * fresnel(cos_i, ior)
    } else if r.falloff == 1.0 {
        min + (max - min) * (1.0 - cos_i)
    } else {
        min + (max - min) * (1.0 - cos_i).powf(r.falloff)
    };
    if r.metallic != 0.0 {
        let x = cos_i.acos().abs() / std::f64::consts::FRAC_PI_2;
        let fr = (0.014567225 / ((x - 1.12) * (x - 1.12)) - 0.011612903).clamp(0.0, 1.0);
        reflec *= DVec3::ONE + (base - DVec3::ONE) * (r.metallic * (1.0 - fr));
    }
    reflec
}

/// POV-Ray's distance fading inside an interior over `depth`.
pub(crate) fn fade_over(i: &Interior, depth: f64) -> DVec3 {
    let fade = rgb(&i.fade_colour);
    if i.fade_power >= 1000.0 {
        let d = depth / i.fade_distance;
        let e = (DVec3::ONE - fade) * -d;
        return DVec3::new(e.x.exp(), e.y.exp(), e.z.exp());
    }
    let att = 1.0 + (depth / i.fade_distance).powf(i.fade_power);
    fade + (DVec3::ONE - fade) / att
}

/// Whether light crossing this interior is changed beyond the surface's filter:
/// distance fading (POV-Ray fades shadows only with a positive fade_power) or
/// fake caustics.
fn shadow_alters(i: &Interior) -> bool {
    (i.fade_power > 0.0 && i.fade_distance.abs() > EPSILON) || i.caustics != 0.0
}

/// What a shadow ray's crossing of surface `h` adds for the interior behind it:
/// fake caustics brighten by the angle to the normal, once per layer, and a ray
/// leaving the inside fades over the path since `entry` (recorded here when the
/// ray enters).
fn through_interior(
    i: &Interior,
    m: &Material,
    h: &Hit<'_>,
    ray: &Ray,
    entry: &mut Option<(u32, f64)>,
) -> DVec3 {
    let tex = &m.texture;
    let q = ray.at(h.t);
    let mut n = h.object.normal(q, h.part);
    if h.object.inverse {
        n = -n;
    }
    let cos = n.dot(ray.dir);
    let mut f = DVec3::ONE;
    if i.caustics != 0.0 {
        // Each layer brightens by the angle to its own (perturbed) normal,
        // perturbed from the side facing where the shadow ray comes from, as
        // POV-Ray perturbs it (bumps do not perturb the two sides alike).
        let exponent = i.caustics * CAUSTICS_SCALE;
        let k = |n: DVec3| 1.0 + n.dot(ray.dir).abs().powf(exponent);
        let facing = if cos > 0.0 { -n } else { n };
        f *= match tex {
            Texture::Layers(layers) => layers.iter().map(|l| k(l.perturb(q, facing))).product(),
            Texture::Map { .. } | Texture::Average(_) | Texture::Blob(_) => k(facing),
        };
    }
    if cos <= 0.0 {
        *entry = Some((m.interior_id, h.t));
        return f;
    }
    let depth = match entry.take() {
        Some((id, t)) if id == m.interior_id && t < h.t => h.t - t,
        _ => h.t,
    };
    if i.fade_power > 0.0 && i.fade_distance.abs() > EPSILON {
        f *= fade_over(i, depth);
    }
    f
}

/// One light's diffuse, phong and specular contribution (a shadowless light, POV-Ray's
/// fill light, makes no highlights; a light behind the surface only its
/// `diffuse_back`). `att` is the layer's opacity, `crand` what the finish's `crand`
/// takes off the diffuse intensity.
#[allow(clippy::too_many_arguments)]
pub(crate) fn lit_colour(
    f: &Finish,
    lc: DVec3,
    l: DVec3,
    n: DVec3,
    ray: &Ray,
    base: DVec3,
    (att, crand): (f64, f64),
    fill: bool,
    backside: bool,
) -> DVec3 {
    let mut out = DVec3::ZERO;
    let cos_n = n.dot(l);
    let diffuse = if backside { f.diffuse_back } else { f.diffuse };
    if diffuse > 0.0 {
        // POV-Ray takes the cosine's magnitude: double_illuminate lights the back.
        let intensity = if f.brilliance != 1.0 {
            cos_n.abs().powf(f.brilliance)
        } else {
            cos_n.abs()
        };
        out += lc * base * (intensity * diffuse * att - crand);
    }
    // No highlights from behind, nor from fill lights.
    if backside || fill {
        return out;
    }
    if f.phong != 0.0 {
        let r = ray.dir - n * (2.0 * ray.dir.dot(n));
        let c = r.dot(l);
        if c > EPSILON && (f.phong_size < 60.0 || c > 0.0008) {
            let intensity = f.phong * c.powf(f.phong_size);
            out += highlight(lc, base, f.metallic, cos_n) * intensity;
        }
    }
    if f.specular != 0.0 {
        let h = (l - ray.dir).normalize_or_zero();
        let c = h.dot(n);
        if c > EPSILON {
            let intensity = f.specular * c.powf(1.0 / f.roughness.max(1e-9));
            out += highlight(lc, base, f.metallic, cos_n) * intensity;
        }
    }
    out
}

/// Highlight colour: the light's, tinted by the surface for metallic finishes.
fn highlight(lc: DVec3, base: DVec3, metallic: f64, cos_n: f64) -> DVec3 {
    if metallic <= 0.0 {
        return lc;
    }
    let x = cos_n.clamp(-1.0, 1.0).acos().abs() / std::f64::consts::FRAC_PI_2;
    let f = (0.014567225 / ((x - 1.12) * (x - 1.12)) - 0.011612903).clamp(0.0, 1.0);
    lc * (DVec3::ONE + (base - DVec3::ONE) * (metallic * (1.0 - f)))
}

/// What a shadow ray meets at `h`, as POV-Ray computes the whole texture there:
/// the texture (the interior texture where the ray leaves through the
/// surface) and the hit as patterns read it (the normal facing the ray's
/// origin, the shadow ray's direction, the uv when the material has a
/// uv-mapped part).
fn shadow_hit<'m>(m: &'m Material, h: &Hit, ray: &Ray) -> (&'m Texture, Surface) {
    let point = ray.at(h.t);
    let mut outward = h.object.normal(point, h.part);
    if h.object.inverse {
        outward = -outward;
    }
    let exiting = outward.dot(ray.dir) > 0.0;
    let at = Surface {
        point,
        normal: if exiting { -outward } else { outward },
        dir: ray.dir,
        uv: m.uses_uv.then(|| h.object.uv(point, h.part)),
    };
    (m.texture_seen(exiting), at)
}

/// Light a texture lets through at a shadow ray's hit.
fn transmitted(tex: &Texture, at: &Surface) -> DVec3 {
    match tex {
        Texture::Layers(layers) => {
            let mut f = DVec3::ONE;
            for l in layers {
                f *= rgb_transm(&l.pigment.colour_on(at.point, Some(at)));
            }
            f
        }
        Texture::Average(a) => a.sum(DVec3::ZERO, |t| transmitted(t, at)),
        Texture::Blob(b) => b
            .weighted(at.point)
            .into_iter()
            .fold(DVec3::ZERO, |sum, (w, t)| sum + transmitted(t, at) * w),
        Texture::Map { pattern, map } => {
            let v = pattern.value_on(at.point, Some(at));
            if pattern.pattern.kind.is_discrete() {
                return discrete_entry(map, v).map_or(DVec3::ZERO, |t| transmitted(t, at));
            }
            match bracket(map, v) {
                None => DVec3::ZERO,
                Some((a, b, f)) => {
                    let ta = transmitted(a, at);
                    ta + (transmitted(b, at) - ta) * f
                }
            }
        }
    }
}

/// The mirror direction of `dir` off a perturbed `normal`, kept on the viewer's
/// side of the surface as POV-Ray keeps it: a bumped normal at a grazing angle
/// can send the mirror ray into the surface; then it is mirrored off the `raw`
/// geometric normal instead (when it went behind the bumped surface too), or
/// mirrored a second time off it.
fn reflected_dir(dir: DVec3, normal: DVec3, raw: DVec3) -> DVec3 {
    let mut out = dir - normal * (2.0 * dir.dot(normal));
    let into = out.dot(raw);
    if into < 0.0 {
        out = if out.dot(normal) < 0.0 {
            dir - raw * (2.0 * dir.dot(raw))
        } else {
            out - raw * (2.0 * into)
        };
    }
    out.normalize_or_zero()
}

/// Fresnel reflectance of a dielectric with index `ior` at incidence cosine `cos_i`.
fn fresnel(cos_i: f64, ior: f64) -> f64 {
    let g2 = ior * ior + cos_i * cos_i - 1.0;
    if g2 < 0.0 {
        return 1.0;
    }
    let g = g2.sqrt();
    let a = (g - cos_i) / (g + cos_i);
    let b = (cos_i * (g + cos_i) - 1.0) / (cos_i * (g - cos_i) + 1.0);
    (0.5 * a * a * (1.0 + b * b)).clamp(0.0, 1.0)
}

/// The lights that light media, per light group slot: slot 0 for a ray that
/// ends on no object or on one in no group, slot `g + 1` for a ray that ends
/// on an object of group `g`. POV-Ray picks the lights of a ray's media by
/// the object the ray hits, as it picks a surface's: the global lights unless
/// that object's group turns them off, and the group's own lights. A
/// shadowless light (POV-Ray's fill light) lights no media, as in 3.7's
/// ComputeOneMediaLightInterval, which has no case for it.
fn media_lights(scene: &Scene) -> Vec<Vec<usize>> {
    let groups = &scene.light_groups;
    let ends = std::iter::once(None).chain((0..groups.len() as u32).map(Some));
    ends.map(|end| {
        (0..scene.lights.len())
            .filter(|&i| {
                let l = &scene.lights[i];
                l.media_interaction && !l.shadowless && light_group::lights(l.group, end, groups)
            })
            .collect()
    })
    .collect()
}
