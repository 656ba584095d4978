<?php
// The front controller php -S serves: the greeting comes from the app's own code in src/.
require __DIR__ . "/../src/Greeter.php";

header("Content-Type: text/plain");
echo (new Greeter("php"))->greet(), "\n";
