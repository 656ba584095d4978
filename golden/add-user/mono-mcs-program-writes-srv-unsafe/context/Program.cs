class P { static void Main() { System.IO.File.WriteAllText("/srv/app/state", "x"); } }
