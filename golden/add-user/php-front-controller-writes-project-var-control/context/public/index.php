<?php
require __DIR__ . "/../src/bootstrap.php";

respond(cache_hit(), "cached");
