#declare A = array[3]
sphere{0, A[5]} sphere{0,A[-1]} sphere{0,A[0]}