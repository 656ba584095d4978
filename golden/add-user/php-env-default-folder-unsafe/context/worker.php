<?php
$dir = getenv("DATA_DIR") ?: "/srv/data";
mkdir($dir, 0755, true);
