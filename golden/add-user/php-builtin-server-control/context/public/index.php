<?php
require __DIR__ . "/../src/greet.php";
echo greet("world");
