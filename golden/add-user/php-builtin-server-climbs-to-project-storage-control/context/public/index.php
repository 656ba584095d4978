<?php
function respond($ok, $what) {
    if ($ok === false) {
        http_response_code(500);
        $e = error_get_last();
        echo "error: ", $e ? $e["message"] : "failed", "\n";
    } else {
        echo "ok ", $what, "\n";
    }
}

$d = __DIR__ . "/../storage";
$ok = is_dir($d) || @mkdir($d, 0775, true);
$r = $ok ? @file_put_contents($d . "/log.txt", "x", FILE_APPEND) : false;
respond($r, "logged");
