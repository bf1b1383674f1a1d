#declare U = sphere{0,1}
#declare I=0; #while (I<40) #declare U = union { object {U} object{U} } #declare I=I+1; #end