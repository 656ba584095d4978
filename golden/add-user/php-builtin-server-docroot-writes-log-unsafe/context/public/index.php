<?php
file_put_contents("/srv/log/app.log", date("c") . "\n", FILE_APPEND);
echo "ok";
