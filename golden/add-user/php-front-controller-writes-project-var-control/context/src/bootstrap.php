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

function cache_hit()
{
    if (!is_dir("/app/var/cache") && !@mkdir("/app/var/cache", 0775, true)) {
        return false;
    }
    $f = @fopen("/app/var/cache/hits.log", "a");
    if ($f === false) {
        return false;
    }
    fwrite($f, "1\n");
    fclose($f);
    return true;
}
