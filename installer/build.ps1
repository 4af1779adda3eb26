# Build the one-folder bundle dist\hotline\ on Windows (PyInstaller) and smoke-test it.
# Not run by this project's CI (which is Linux); written to mirror build.sh step by step.
#
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1
#   $env:PYTHON = "C:\Python311\python.exe"; powershell -File installer\build.ps1
#
# Needs Python 3.11 (python.org installer, "py" launcher or $env:PYTHON) and access to the
# package index; everything else comes from pyproject.toml (the `installer` extra).
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Resolve-Path (Join-Path $PSScriptRoot "..")
Set-Location $Root
$Python = if ($env:PYTHON) { $env:PYTHON } else { "py" }
$PyArgs = if ($Python -eq "py") { @("-3.11") } else { @() }
$Venv = if ($env:BUILD_VENV) { $env:BUILD_VENV } else { Join-Path $Root "build\venv" }
$Started = Get-Date

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed ($LASTEXITCODE)" }
}

if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) {
    Invoke-Checked $Python ($PyArgs + @("-m", "venv", $Venv))
}
$VenvPython = Join-Path $Venv "Scripts\python.exe"
Invoke-Checked $VenvPython @("-m", "pip", "install", "--quiet", "--upgrade", "pip")
Invoke-Checked $VenvPython @("-m", "pip", "install", "--quiet", "$Root[installer]")

$Dist = Join-Path $Root "dist"
if (Test-Path (Join-Path $Dist "hotline")) { Remove-Item -Recurse -Force (Join-Path $Dist "hotline") }
Invoke-Checked (Join-Path $Venv "Scripts\pyinstaller.exe") @(
    "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", $Dist, "--workpath", (Join-Path $Root "build\pyinstaller"),
    (Join-Path $Root "installer\hotline.spec"))

# Smoke test in a clean environment: scratch HOME/TEMP/APPDATA, no venv on PATH.
$Scratch = Join-Path ([System.IO.Path]::GetTempPath()) ("hotline-smoke-" + [guid]::NewGuid())
$Media = Join-Path $Scratch "media"
New-Item -ItemType Directory -Force -Path $Media | Out-Null
$Maker = @'
import sys
from pathlib import Path
from app.demo.clips import encode, frames
from app.demo.pictures import jpeg
folder = Path(sys.argv[1])
(folder / "picture.jpg").write_bytes(jpeg(4242))
(folder / "second.jpg").write_bytes(jpeg(4243))
(folder / "clip.mp4").write_bytes(encode(frames(4244, seconds=4)))
'@
Invoke-Checked $VenvPython @("-c", $Maker, $Media)

$Exe = Join-Path $Dist "hotline\hotline.exe"
$Saved = @{}
foreach ($name in "PATH", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "TEMP", "TMP",
                  "HOTLINE_LOG_DIR", "HOTLINE_PASSWORD", "VIRTUAL_ENV", "PYTHONPATH") {
    $Saved[$name] = [Environment]::GetEnvironmentVariable($name)
}
try {
    $env:PATH = "$env:SystemRoot\System32;$env:SystemRoot"
    foreach ($name in "USERPROFILE", "APPDATA", "LOCALAPPDATA", "TEMP", "TMP") {
        $dir = Join-Path $Scratch $name
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        Set-Item "env:$name" $dir
    }
    $env:HOTLINE_LOG_DIR = Join-Path $Scratch "logs"
    Remove-Item env:VIRTUAL_ENV, env:PYTHONPATH -ErrorAction SilentlyContinue
    $env:QT_QPA_PLATFORM = "offscreen"

    $version = & $Exe --version
    if ($LASTEXITCODE -ne 0 -or $version -notmatch "^hotline ") { throw "--version failed" }
    $Demo = Join-Path $Scratch "demo"
    Invoke-Checked $Exe @("demo", "--no-gui", "--workspace", $Demo)
    $picture = & $Exe hash (Join-Path $Media "picture.jpg") --json | Out-String
    if ($LASTEXITCODE -ne 0 -or $picture -notmatch '"pdq": "[0-9a-f]{64}"') { throw "hash picture failed" }
    $video = & $Exe hash (Join-Path $Media "clip.mp4") --json | Out-String
    if ($LASTEXITCODE -ne 0 -or $video -notmatch '"frame_count": 40') { throw "hash video failed" }
    $env:HOTLINE_PASSWORD = "demo-password"
    Invoke-Checked $Exe @("--workspace", $Demo, "--user", "anna", "import", "--file", $Media,
                          "--report", "SMOKE")
    if (-not (Test-Path (Join-Path $env:HOTLINE_LOG_DIR "hotline.log"))) { throw "no log" }
} finally {
    foreach ($name in $Saved.Keys) { Set-Item "env:$name" $Saved[$name] -ErrorAction SilentlyContinue }
    Remove-Item -Recurse -Force $Scratch -ErrorAction SilentlyContinue
}

$Size = (Get-ChildItem -Recurse (Join-Path $Dist "hotline") | Measure-Object -Sum Length).Sum
$Seconds = [int]((Get-Date) - $Started).TotalSeconds
Write-Host ("Built dist\hotline ({0:N0} MB) in {1} s; smoke test passed." -f ($Size / 1MB), $Seconds)
