File.write("/var/lib/app/state", "started")
puts "ok"
