from configparser import ConfigParser
import setuptools, shlex
assert int(setuptools.__version__.split(".")[0]) >= 77, "setuptools>=77 is required (for the SPDX license_expression)"

# note: all settings are in settings.ini; edit there, not here
config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

cfg_keys = 'version description keywords author author_email'.split()
expected = cfg_keys + "lib_name user branch license status min_python audience language".split()
for o in expected: assert o in cfg, "missing expected setting: {}".format(o)
setup_cfg = {o:cfg[o] for o in cfg_keys}

licenses = {   # settings.ini's short names, as SPDX license expressions (what the `License-Expression` metadata holds)
    'apache2': 'Apache-2.0',
    'mit': 'MIT',
    'gpl2': 'GPL-2.0-only',
    'gpl3': 'GPL-3.0-only',
    'bsd3': 'BSD-3-Clause',
}
statuses = [ '0 - Pre-Planning', '1 - Planning', '2 - Pre-Alpha', '3 - Alpha',
    '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive' ]
py_versions = '3.10 3.11 3.12 3.13'.split()

requirements = shlex.split(cfg.get('requirements', ''))
if cfg.get('pip_requirements'): requirements += shlex.split(cfg.get('pip_requirements', ''))
min_python = cfg['min_python']
lic = licenses.get(cfg['license'].lower(), cfg['license'])
dev_requirements = shlex.split(cfg.get('dev_requirements') or '')

# Optional extras. The runtime core (settings.ini `requirements`) stays small; these are heavy and only
# needed for dataset pipelines (`data`), adversarial-attack sanity checks of certified radii (`attacks`), and the
# JAX or PyTorch backend (`jax`, `torch`).
extras = {
    'data': ['tensorflow-datasets', 'importlib_resources', 'scikit-learn'],
    'attacks': ['foolbox>=3.3'],
}
# Keras backends besides TensorFlow (the required one: tf.data feeds every backend). CPU builds by default; for an
# NVIDIA GPU install `pip install "jax[cuda12]"` or PyTorch's CUDA wheel yourself (see the README's install section).
extras['jax'] = ['jax[cpu]']
extras['torch'] = ['torch>=2.1']
extras['all'] = extras['data'] + extras['attacks']
# The tests run every backend (nbs/23_backends.ipynb), so the dev extra installs JAX and PyTorch too. torch is pinned
# to 2.13.0 here only: that version resolves to the CPU-only wheel kept on lipbook's development machine, where an
# unpinned `torch` resolves to a CUDA build of several GB. Users' `lipbook[torch]` is not pinned.
extras['dev'] = dev_requirements + extras['all'] + extras['jax'] + ['torch==2.13.0']

package_data = dict()
pkg_data = cfg.get('package_data', None)
if pkg_data:
    package_data[cfg['lib_name']] = pkg_data.split() # split as multiple files might be listed
setup_cfg['package_data'] = package_data

setuptools.setup(
    name = cfg['lib_name'],
    license_expression = lic,
    classifiers = [
        'Development Status :: ' + statuses[int(cfg['status'])],
        'Intended Audience :: ' + cfg['audience'].title(),
        'Natural Language :: ' + cfg['language'].title(),
    ] + ['Programming Language :: Python :: '+o for o in py_versions[py_versions.index(min_python):]],
    url = cfg['git_url'],
    packages = setuptools.find_packages(),
    include_package_data = True,
    install_requires = requirements,
    extras_require = extras,
    dependency_links = cfg.get('dep_links','').split(),
    python_requires  = '>=' + cfg['min_python'],
    long_description = open('README.md', encoding='utf-8').read(),
    long_description_content_type = 'text/markdown',
    zip_safe = False,
    entry_points = {
        'console_scripts': cfg.get('console_scripts','').split(),
        'nbdev': [f'{cfg.get("lib_path")}={cfg.get("lib_path")}._modidx:d']
    },
    **setup_cfg)
