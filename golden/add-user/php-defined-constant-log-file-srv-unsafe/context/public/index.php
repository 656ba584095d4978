<?php
define('LOG_FILE', '/srv/app.log');
$r = @file_put_contents(LOG_FILE, "x\n", FILE_APPEND);
if ($r === false) { http_response_code(500); echo "error\n"; } else { echo "ok logged\n"; }
