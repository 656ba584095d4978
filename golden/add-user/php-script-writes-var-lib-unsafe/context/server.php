<?php
file_put_contents("/var/lib/app/state", "started");
