//! `mesh_camera { rays distribution [max_distance] mesh {..} ... [smooth] }`,
//! checked as POV-Ray 3.7 checks it (rays per pixel, the distribution number,
//! how many meshes each distribution needs).

use super::error::{Result, SdlError};
use super::lexer::Tok;
use super::parser::{PTok, Parser};
use super::value::Value;
use crate::desc::camera::{CameraMesh, MeshCamera, MeshDistribution};
use crate::desc::{Object, Shape};

impl Parser<'_> {
    /// The block after `mesh_camera` (keyword read).
    pub(crate) fn mesh_camera_block(&mut self) -> Result<MeshCamera> {
        self.expect("{")?;
        let start = self.here();
        let rays = self.float_expr()?;
        if rays.is_nan() || rays < 1.0 {
            return Err(self.err("mesh_camera rays per pixel may not be 0"));
        }
        self.comma()?;
        let number = self.float_expr()?;
        let distribution = (number >= 0.0)
            .then(|| MeshDistribution::from_number(number as u32))
            .flatten()
            .ok_or_else(|| self.err(format!("unrecognized mesh_camera distribution {number}")))?;
        let rays_per_pixel = rays.min(f64::from(u32::MAX)) as u32;
        if matches!(
            distribution,
            MeshDistribution::SideBySide | MeshDistribution::UvMap
        ) && rays_per_pixel != 1
        {
            return Err(self.err("rays per pixel must be 1 for mesh_camera distribution 2 or 3"));
        }
        self.comma()?;
        let max_distance = self.optional_float()?.unwrap_or(0.0);
        let mut meshes = Vec::new();
        while let Some(w) = self.peek_word()? {
            if w != "mesh" && w != "mesh2" {
                break;
            }
            let t = self.need("a mesh")?;
            meshes.push(self.camera_mesh(&w, &t)?);
        }
        let smooth = self.accept_word("smooth")?;
        if smooth && distribution != MeshDistribution::UvMap {
            return Err(self.err("smooth can only be used with mesh_camera distribution 3"));
        }
        self.expect("}")?;
        if meshes.is_empty() {
            return Err(SdlError::at(start, "mesh_camera needs a mesh or mesh2"));
        }
        if distribution == MeshDistribution::PerMesh && rays_per_pixel as usize > meshes.len() {
            return Err(SdlError::at(
                start,
                "mesh_camera rays per pixel must be <= the number of meshes for distribution 0",
            ));
        }
        if distribution == MeshDistribution::UvMap && meshes.len() > 1 {
            self.warn(format!(
                "{start}: meshes after the first are ignored for mesh_camera distribution 3"
            ));
        }
        Ok(MeshCamera {
            rays_per_pixel,
            distribution,
            max_distance,
            meshes,
            smooth,
        })
    }

    /// One `mesh { }` / `mesh2 { }` of the camera (keyword read); `mesh { Ident
    /// modifiers }` copies a declared mesh, as POV-Ray allows.
    fn camera_mesh(&mut self, w: &str, t: &PTok) -> Result<CameraMesh> {
        self.expect("{")?;
        let copies = match self.peek_word()? {
            Some(name) => matches!(self.lookup(&name), Some(Value::Item(_))),
            None => false,
        };
        let here = self.here();
        self.unget(PTok {
            tok: Tok::Punct("{"),
            file: t.file,
            line: here.line,
            column: here.column,
        });
        let item = if copies {
            self.object_block()?
        } else {
            self.item(w, t)?
        };
        match item.object {
            Some(Object {
                shape: Shape::Mesh { data, .. },
                transform,
                ..
            }) => Ok(CameraMesh { data, transform }),
            _ => Err(self.err_at(t, "mesh_camera expects a mesh or mesh2")),
        }
    }
}
