dir.create("/srv/out", recursive = TRUE)
writeLines("x", "/srv/out/result.txt")
