<?php
function log_line($line) {
    $f = fopen("/srv/worker.log", "a");
    fwrite($f, $line . "\n");
}
