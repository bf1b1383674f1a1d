sphere_sweep { cubic_spline 3, <0,0,0>, 1, <1,0,0>, 1, <2,0,0>, 1 }
sphere_sweep { b_spline -1 }
sphere_sweep { linear_spline 1e30, <0,0,0>, 1 }
sphere_sweep { linear_spline 2, <0,0,0>, 0, <0,0,0>, 0 tolerance -1 }
sphere_sweep { bezier_spline 4 }
sphere_sweep {
