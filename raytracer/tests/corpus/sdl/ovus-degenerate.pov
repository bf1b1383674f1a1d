ovus { 0, 0 }
ovus { -1, 0.5 }
ovus { 1, 5 sturm }
ovus { 1e308, 1e-308 scale 0 }
ovus { 1,
