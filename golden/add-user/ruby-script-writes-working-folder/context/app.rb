Dir.mkdir("data") unless Dir.exist?("data")
File.write("data/state", "started")
File.write("/tmp/app.pid", Process.pid.to_s)
