using System.IO;

Directory.CreateDirectory("/var/lib/hello");
File.WriteAllText("/var/lib/hello/state", "started");
