// Oracle scene: the mesh camera. A grid of one face per pixel (as POV-Ray's
// samples build it), shot through with distribution 0 (two meshes, shifted by
// half a pixel, averaged), 1 (the faces summed over two half meshes) or 2
// (two cameras side by side), or 3 (a tilted quad whose uv map is the image),
// chosen by declaring Dist (default 0).
#version 3.7;
global_settings { assumed_gamma 1.0 }
#ifndef (Dist) #declare Dist = 0; #end

#declare W = 4;
#declare H = W * image_height / image_width;
#declare Dx = W / image_width;
#declare Dy = H / image_height;

// Rows from the top, faces left to right; `Cols` faces per row, rows
// `Row0` up to but not including `Row1`.
#macro Grid(Cols, Row0, Row1)
  mesh {
    #local R = Row0;
    #while (R < Row1)
      #local Y = H - Dy - R * Dy;
      #local C = 0;
      #while (C < Cols)
        #local X = C * Dx * image_width / Cols;
        triangle { <X, Y, 0>, <X + Dx, Y + Dy, 0>, <X + Dx, Y, 0> }
        #local C = C + 1;
      #end
      #local R = R + 1;
    #end
  }
#end

#declare Full = Grid(image_width, 0, image_height)
#declare Top = Grid(image_width, 0, image_height / 2)
#declare Bottom = Grid(image_width, image_height / 2, image_height)
#declare Half = Grid(image_width / 2, 0, image_height)
// (POV-Ray reads a mesh2 written inside mesh_camera as a mesh: declare it.)
#declare Quad = mesh2 {
  vertex_vectors { 4, <-W/2, -H/2, 0>, <W/2, -H/2, 0>, <W/2, H/2, 0>, <-W/2, H/2, 0> }
  uv_vectors { 4, <0, 0>, <1, 0>, <1, 1>, <0, 1> }
  face_indices { 2, <0, 2, 1>, <0, 3, 2> }
}

camera {
  #switch (Dist)
  #case (0)
    mesh_camera { 2 0
      mesh { Full translate <-W/2, -H/2, -10> }
      mesh { Full translate <-W/2 + Dx/2, -H/2 + Dy/2, -10> }
    }
  #break
  #case (1)
    mesh_camera { 1 1
      mesh { Top translate <-W/2, -H/2, -10> }
      mesh { Bottom translate <-W/2, -H/2, -10> }
    }
  #break
  #case (3)
    mesh_camera { 1 3
      mesh { Quad rotate <10, -15, 0> translate -10*z }
    }
  #break
  #else
    mesh_camera { 1 2
      mesh { Half rotate -20*y translate <-W/2, -H/2, -10> }
      mesh { Half rotate 20*y translate <-W/2, -H/2, -10> }
    }
  #end
  location <0, 0, 0.5>
}

background { rgb <0.2, 0.25, 0.4> }
light_source { <3, 5, -6> rgb 1 }

sphere { 0, 1 pigment { checker rgb <0.9, 0.3, 0.2> rgb <0.9, 0.9, 0.8> scale 0.4 }
  finish { ambient 0.15 diffuse 0.8 phong 0.5 } }
box { <-3, -1.6, -1>, <3, -1.2, 3> pigment { rgb <0.3, 0.7, 0.4> } }
