<?php

function import_settings() {
    // ruleid: php.extract-request-data
    extract($_GET);
    // ruleid: php.extract-request-data
    extract($_POST, EXTR_OVERWRITE);
    // ok: php.extract-request-data
    extract($row, EXTR_PREFIX_ALL, 'db');
    // ok: php.extract-request-data
    $name = $_GET['name'] ?? '';
    // ruleid: php.extract-request-data
    extract($request->all());
    // ok: php.extract-request-data
    $usage = 'never call extract($_GET) on input';
    // ok: php.extract-request-data
    $archive->extract($_POST['path']);
}

function parse_query($query) {
    // ruleid: php.parse-str-into-scope
    parse_str($query);
    // ruleid: php.parse-str-into-scope
    parse_str($_SERVER['QUERY_STRING']);
    // ok: php.parse-str-into-scope
    parse_str($query, $params);
    // ok: php.parse-str-into-scope
    $params = http_build_query($query);
    // ok: php.parse-str-into-scope
    echo "parse_str($query);";
}

// ruleid: php.phpinfo-exposed
phpinfo();
// ruleid: php.phpinfo-exposed
if (isset($_GET['debug'])) { phpinfo(INFO_ALL); }
// ok: php.phpinfo-exposed
$version = phpversion();
// ok: php.phpinfo-exposed
$info = php_uname();
// ok: php.phpinfo-exposed
$checked = true; // phpinfo() was removed here
// ok: php.phpinfo-exposed
$page->phpinfo();

function store_upload() {
    // ruleid: php.upload-client-filename
    move_uploaded_file($_FILES['avatar']['tmp_name'], 'uploads/' . $_FILES['avatar']['name']);
    $target = __DIR__ . '/files/';
    // ruleid: php.upload-client-filename
    move_uploaded_file($_FILES["doc"]["tmp_name"], $target . basename($_FILES["doc"]["name"]));
    // ok: php.upload-client-filename
    move_uploaded_file($_FILES['avatar']['tmp_name'], 'uploads/' . bin2hex(random_bytes(16)) . '.png');
    // ok: php.upload-client-filename
    move_uploaded_file($tmp, $dest);
}

// ruleid: php.display-errors-enabled
ini_set('display_errors', '1');
// ruleid: php.display-errors-enabled
ini_set("display_errors", 1);
// ok: php.display-errors-enabled
ini_set('display_errors', '0');
// ok: php.display-errors-enabled
ini_set('log_errors', '1');
// ok: php.display-errors-enabled
$hint = "ini_set('display_errors', '1') in development only";

// ruleid: php.cors.reflected-origin
header('Access-Control-Allow-Origin: ' . $_SERVER['HTTP_ORIGIN']);
// ruleid: php.cors.reflected-origin
return response($body)->header('Access-Control-Allow-Origin', $request->header('Origin'));
// ok: php.cors.reflected-origin
header('Access-Control-Allow-Origin: https://app.example.com');
// ok: php.cors.reflected-origin
if (in_array($origin, ALLOWED_ORIGINS, true)) { header("Access-Control-Allow-Origin: $origin"); }

// ruleid: php.session-cookie-insecure
ini_set('session.cookie_httponly', '0');
// ruleid: php.session-cookie-insecure
session_set_cookie_params(['lifetime' => 0, 'path' => '/', 'secure' => false, 'httponly' => true]);
// ok: php.session-cookie-insecure
ini_set('session.cookie_httponly', '1');
// ok: php.session-cookie-insecure
session_set_cookie_params(['lifetime' => 0, 'secure' => true, 'httponly' => true]);
// ok: php.session-cookie-insecure
$defaults = ['path' => '/', 'secure' => false, 'httponly' => false];
