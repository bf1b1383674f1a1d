//! Following one ray through the scene and shading what it hits, with POV-Ray 3.7's
//! lighting model: ambient, diffuse with brilliance, phong, specular, metallic
//! highlights, reflection (plain, min/max with falloff, fresnel, metallic),
//! refraction with filter and transmit, shadows filtered by transparent objects,
//! spotlights and light fading, `max_trace_level` and `adc_bailout`.

use glam::DVec3;

use super::stats::Stats;
use crate::desc::{Colour, Finish};
use crate::scene::material::{bracket, discrete_entry, Layer, Material, Texture};
use crate::scene::{Hit, Ray, RayKind, Scene};

/// Below this a cosine counts as zero (POV-Ray's EPSILON).
const EPSILON: f64 = 1e-10;
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
fn rgb_transm(c: &Colour) -> DVec3 {
    rgb(c) * c.f + DVec3::splat(c.t)
}

/// Per-thread tracing state: the scene, reusable hit buffers and counters.
pub struct Tracer<'a> {
    pub scene: &'a Scene,
    hits: Vec<Hit<'a>>,
    shadow_hits: Vec<Hit<'a>>,
    /// Per light, the object that last blocked it (see [`Scene::shadow_filter`]).
    shadow_cache: Vec<Option<usize>>,
    pub stats: Stats,
    legacy_opacity: bool,
}

/// Where a ray meets a surface, with the normal facing the ray.
struct SurfacePoint<'a> {
    point: DVec3,
    normal: DVec3,
    /// True when the ray leaves the object's inside.
    exiting: bool,
    /// Distance travelled from the ray's origin (inside the object when exiting).
    depth: f64,
    material: &'a Material,
}

impl<'a> Tracer<'a> {
    pub fn new(scene: &'a Scene) -> Self {
        let s = &scene.settings;
        Tracer {
            scene,
            hits: Vec::with_capacity(32),
            shadow_hits: Vec::with_capacity(32),
            shadow_cache: vec![None; scene.lights.len()],
            stats: Stats::default(),
            legacy_opacity: !(s.version_set && s.version >= 3.7),
        }
    }

    /// Colour seen along a camera ray.
    pub fn trace_camera(&mut self, ray: &Ray) -> DVec3 {
        self.stats.camera_rays += 1;
        self.trace(ray, RayKind::Camera, 1.0, 1)
    }

    /// Colour seen along `ray`; `level` counts from 1 for camera rays.
    fn trace(&mut self, ray: &Ray, kind: RayKind, weight: f64, level: u32) -> DVec3 {
        // POV-Ray counts a ray even when the level limit stops it.
        self.stats.rays += 1;
        if level > self.scene.settings.max_trace_level {
            return DVec3::ZERO;
        }
        self.stats.max_level = self.stats.max_level.max(level);
        let mut hits = std::mem::take(&mut self.hits);
        let found = self.scene.closest(ray, kind, &mut hits, &mut self.stats);
        self.hits = hits;
        let Some(hit) = found else {
            return rgb(&self.scene.background);
        };
        let Some(material) = hit.object.material() else {
            return DVec3::ZERO;
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
        };
        self.shade_texture(&material.texture, &sp, ray, weight, level)
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
            Texture::Map { pattern, map } => {
                let v = pattern.value_at(sp.point);
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
        for (i, layer) in layers.iter().rev().enumerate() {
            if trans <= bailout {
                break;
            }
            let normal = self.layer_normal(layer, sp);
            if i == 0 {
                top_normal = normal;
            }
            let (base, cf, ct) = layer.pigment.rgb_ft_at(sp.point);
            let f = &layer.finish;
            let cos_i = -ray.dir.dot(normal);
            let reflec = self.reflectivity(f, cos_i, sp.material, base);
            if reflec != DVec3::ZERO && n_refl < reflections.len() {
                reflections[n_refl] = (normal, reflec, weight * trans, f.reflection.exponent);
                n_refl += 1;
            }
            let att = if self.legacy_opacity {
                1.0 - (cf * base.x.max(base.y).max(base.z) + ct)
            } else {
                1.0 - (cf + ct)
            };
            let mut local = base * rgb(&f.ambient) * self.scene.settings.ambient_light * att;
            local += base * rgb(&f.emission) * att;
            if f.diffuse != 0.0 || f.specular != 0.0 || f.phong != 0.0 {
                local += self.direct_light(f, sp.point, normal, ray, base, att);
            }
            result += local * filter;
            filter *= base * cf + DVec3::splat(ct);
            trans = greyscale(filter).abs().min(1.0);
        }
        if trans > bailout {
            let w = filter.x.abs().max(filter.y.abs()).max(filter.z.abs());
            let (col, tir) = self.refract(sp, top_normal, ray, weight * w, level);
            result += if tir {
                col
            } else {
                col * filter * self.interior_fade(sp)
            };
        }
        for &(normal, reflec, w, exponent) in &reflections[..n_refl] {
            let rw = w * reflec.max_element();
            if rw < bailout {
                continue;
            }
            let dir = ray.dir - normal * (2.0 * ray.dir.dot(normal));
            self.stats.reflected_rays += 1;
            let mut c = self.trace(&Ray::new(sp.point, dir), RayKind::Reflected, rw, level + 1);
            if exponent != 1.0 {
                c = c.max(DVec3::ZERO).powf(exponent);
            }
            result += c * reflec;
        }
        result
    }

    fn layer_normal(&self, layer: &Layer, sp: &SurfacePoint<'a>) -> DVec3 {
        layer.perturb(sp.point, sp.normal)
    }

    /// Reflection colour of a layer at incidence cosine `cos_i` (3.7's min/max,
    /// falloff, fresnel and metallic reflection).
    fn reflectivity(&self, f: &Finish, cos_i: f64, m: &Material, base: DVec3) -> DVec3 {
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

    /// Diffuse, phong and specular light from every light source at `p`.
    fn direct_light(
        &mut self,
        f: &Finish,
        p: DVec3,
        n: DVec3,
        ray: &Ray,
        base: DVec3,
        att: f64,
    ) -> DVec3 {
        let mut out = DVec3::ZERO;
        let scene = self.scene;
        for (light_index, light) in scene.lights.iter().enumerate() {
            let to_light = light.position - p;
            let dist = to_light.length();
            if dist == 0.0 {
                continue;
            }
            let l = to_light / dist;
            let cos_n = n.dot(l);
            if cos_n < EPSILON {
                continue;
            }
            let mut lc = light.colour * light.attenuation(-l, dist);
            if lc.max_element() <= 0.0 {
                continue;
            }
            if !light.shadowless {
                lc *= match &light.area {
                    None => self.shadow_filter(light_index, p, l, dist),
                    Some(grid) => {
                        let mut sum = DVec3::ZERO;
                        let mut n = 0.0;
                        for q in grid.points(light.position) {
                            let d = q - p;
                            let len = d.length();
                            if len > 0.0 {
                                sum += self.shadow_filter(light_index, p, d / len, len);
                            }
                            n += 1.0;
                        }
                        sum / n
                    }
                };
                if lc.max_element() <= 0.0 {
                    continue;
                }
            }
            if f.diffuse != 0.0 {
                let intensity = if f.brilliance != 1.0 {
                    cos_n.powf(f.brilliance)
                } else {
                    cos_n
                };
                out += lc * base * (intensity * f.diffuse * att);
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
        }
        out
    }

    /// How much of a light reaches `p` through the objects in between: zero when an
    /// opaque object blocks it, the product of the filter colours otherwise.
    fn shadow_filter(&mut self, light: usize, p: DVec3, l: DVec3, dist: f64) -> DVec3 {
        self.stats.shadow_rays += 1;
        let ray = Ray::new(p, l);
        let mut scratch = std::mem::take(&mut self.shadow_hits);
        let mut cache = self.shadow_cache.get(light).copied().flatten();
        let filter =
            self.scene
                .shadow_filter(&ray, dist, &mut scratch, &mut self.stats, &mut cache, |h| {
                    if h.t <= SHADOW_TOLERANCE || h.t >= dist {
                        return DVec3::ONE;
                    }
                    match h.object.material() {
                        Some(m) if m.opaque => DVec3::ZERO,
                        Some(m) => transmitted(&m.texture, ray.at(h.t)),
                        None => DVec3::ONE,
                    }
                });
        if let Some(slot) = self.shadow_cache.get_mut(light) {
            *slot = cache;
        }
        self.shadow_hits = scratch;
        self.stats.shadow_blocked += u64::from(filter != DVec3::ONE);
        filter
    }

    /// Refracted light (and whether total internal reflection happened instead).
    fn refract(
        &mut self,
        sp: &SurfacePoint<'a>,
        normal: DVec3,
        ray: &Ray,
        weight: f64,
        level: u32,
    ) -> (DVec3, bool) {
        let ior = sp.material.interior.as_ref().map_or(1.0, |i| i.ior);
        let ratio = if sp.exiting { ior } else { 1.0 / ior };
        self.stats.refracted_rays += 1;
        if (ratio - 1.0).abs() < EPSILON {
            return (
                self.trace(
                    &Ray::new(sp.point, ray.dir),
                    RayKind::Refracted,
                    weight,
                    level + 1,
                ),
                false,
            );
        }
        let n = -ray.dir.dot(normal);
        let t = 1.0 + ratio * ratio * (n * n - 1.0);
        if t < 0.0 {
            let dir = ray.dir + normal * (2.0 * n);
            let reflected = self.trace(
                &Ray::new(sp.point, dir),
                RayKind::Reflected,
                weight,
                level + 1,
            );
            return (reflected, true);
        }
        let dir = (ray.dir * ratio + normal * (ratio * n - t.sqrt())).normalize_or_zero();
        let refracted = self.trace(
            &Ray::new(sp.point, dir),
            RayKind::Refracted,
            weight,
            level + 1,
        );
        (refracted, false)
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
        let fade = rgb(&i.fade_colour);
        if i.fade_power >= 1000.0 {
            let d = sp.depth / i.fade_distance;
            let e = (DVec3::ONE - fade) * -d;
            return DVec3::new(e.x.exp(), e.y.exp(), e.z.exp());
        }
        let att = 1.0 + (sp.depth / i.fade_distance).powf(i.fade_power);
        fade + (DVec3::ONE - fade) / att
    }
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

/// Light a texture lets through at `p`, for shadows.
fn transmitted(tex: &Texture, p: DVec3) -> DVec3 {
    match tex {
        Texture::Layers(layers) => {
            let mut f = DVec3::ONE;
            for l in layers {
                f *= rgb_transm(&l.pigment.colour_at(p));
            }
            f
        }
        Texture::Map { pattern, map } => {
            let v = pattern.value_at(p);
            if pattern.pattern.kind.is_discrete() {
                return discrete_entry(map, v).map_or(DVec3::ZERO, |t| transmitted(t, p));
            }
            match bracket(map, v) {
                None => DVec3::ZERO,
                Some((a, b, f)) => {
                    let ta = transmitted(a, p);
                    ta + (transmitted(b, p) - ta) * f
                }
            }
        }
    }
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
