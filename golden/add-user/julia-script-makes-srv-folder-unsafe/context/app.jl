mkpath("/srv/data")
open("/srv/data/x", "w") do io
  write(io, "x")
end
