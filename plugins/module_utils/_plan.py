# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: the benchmark plan a user writes, checked before anything is created.

`check_plan()` is pure (no AWS call): it returns the plan with defaults filled in and a list
of problems, one per field, each naming the field and the fix. The AWS-facing checks (does the
type exist in the region, is it offered in the chosen AZs) live in the plan_info module and
report through the same `problem()` wording. `expand_jobs()` turns a checked plan plus the
region's instance type data into jobs with deterministic ids and ordered launch attempts.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import ipaddress
import math
import re

from ansible_collections.instancebench.aws.plugins.module_utils import _benchmarks
from ansible_collections.instancebench.aws.plugins.module_utils import _job
from ansible_collections.instancebench.aws.plugins.module_utils import _scheduled_jobs

MARKETS = ('on-demand', 'spot', 'spot-with-fallback')
OPERATING_SYSTEMS = ('al2023', 'ubuntu-24.04')
NETWORK_MODES = ('create', 'existing')
CONNECT_VIA = ('public', 'private')

# Hard limits: a typo here must not become a week-long bill.
MAX_RUNTIME_CAP_MINUTES = 24 * 60
MAX_EXPIRY_HOURS = 7 * 24
MAX_CONCURRENCY_CAP = 500
MAX_INSTANCES_PER_TYPE = 50
MAX_USER_TAGS = 40          # EC2 allows 50 tags; we add our own
EXPIRY_BUFFER_MINUTES = 30  # failsafe power-off comes this long after the job's max runtime
# A launched job whose benchmark has not started this long after the controller recorded it was
# abandoned (the controller died between launch and start): its instance goes, the job is retried.
# Long enough for SSH, host facts and the slowest build (FFTW, ~3 min on 2 cores) on a small type.
DEFAULT_START_GRACE_MINUTES = 45

TOP_LEVEL = ('name', 'region', 'availability_zones', 'instance_types', 'benchmarks', 'os', 'market',
             'max_runtime_minutes', 'results', 'sources_mirror', 'networking', 'tags',
             'max_concurrency', 'expiry_hours', 'ssh_user', 'instances_per_type', 'schedule', 'start_grace_minutes')
NETWORK_FIELDS = ('mode', 'vpc_cidr', 'subnet_ids', 'security_group_ids', 'key_name', 'public_key_file',
                  'ssh_ingress_cidrs', 'ssh_open_to_world', 'connect_via')

_REGION = re.compile(r'^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}\Z')
_INSTANCE_TYPE = re.compile(r'^[a-z][a-z0-9-]*\.[a-z0-9-]+\Z')
_NAME = re.compile(r'^[a-z0-9][a-z0-9-]{0,39}\Z')
_BUCKET = re.compile(r'^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\Z')
_PREFIX = re.compile(r'^[A-Za-z0-9!_.\'()/=-]*\Z')   # no '*': it would widen the IAM resource
_SUBNET = re.compile(r'^subnet-[0-9a-f]{8,17}\Z')
_SECURITY_GROUP = re.compile(r'^sg-[0-9a-f]{8,17}\Z')
_KEY_NAME = re.compile(r'^[\x20-\x7e]{1,255}\Z')
_SSH_USER = re.compile(r'^[a-z_][a-z0-9_-]{0,31}\Z')


def problem(field, message):
    return '%s: %s' % (field, message)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    """A finite number (NaN and infinity are not: they compare false with every bound)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value) \
        and not math.isinf(value)


def _unknown_keys(field, given, known, problems):
    for key in sorted(set(given) - set(known), key=str):
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.75)
        hint = 'did you mean %s? ' % close[0] if close else ''
        problems.append(problem('%s.%s' % (field, key) if field else key,
                                'unknown field; %sknown fields are %s' % (hint, ', '.join(known))))


def _string_list(plan, field, pattern, what, problems, scope=''):
    """A required list of unique strings matching `pattern`; returns the valid ones."""
    value = plan.get(field)
    if value is None:
        problems.append(problem(scope + field, 'required: give a list of %s' % what))
        return []
    if not isinstance(value, list) or not value:
        problems.append(problem(scope + field, 'must be a non-empty list of %s, got %r' % (what, value)))
        return []
    good, seen = [], set()
    for index, item in enumerate(value):
        where = '%s%s[%d]' % (scope, field, index)
        if not isinstance(item, str) or not pattern.match(item):
            problems.append(problem(where, '%r is not a valid %s' % (item, what)))
        elif item in seen:
            problems.append(problem(where, '%r is listed twice; remove the duplicate' % item))
        else:
            seen.add(item)
            good.append(item)
    return good


def _choice(plan, field, choices, default, problems, scope=''):
    value = plan.get(field, default)
    if value not in choices:
        problems.append(problem(scope + field, '%r is not one of %s' % (value, ', '.join(choices))))
        return default
    return value


def _bounded_number(plan, field, default, low, high, problems, integer=True, unit=''):
    value = plan.get(field, default)
    valid_type = _is_int(value) if integer else _is_number(value)
    if not valid_type:
        problems.append(problem(field, 'must be %s, got %r' % ('an integer' if integer else 'a number', value)))
        return default
    if value <= low or value > high:
        problems.append(problem(field, 'must be greater than %s and at most %s%s, got %s' % (low, high, unit, value)))
        return default
    return value


def _check_benchmarks(plan, problems):
    known = _benchmarks.names()
    value = plan.get('benchmarks')
    if not isinstance(value, list) or not value:
        problems.append(problem('benchmarks', 'required: a non-empty list from %s' % ', '.join(known)))
        return []
    good = []
    for index, item in enumerate(value):
        where = 'benchmarks[%d]' % index
        if item not in known:
            problems.append(problem(where, 'unknown benchmark %r; choose from %s' % (item, ', '.join(known))))
        elif item in good:
            problems.append(problem(where, '%r is listed twice; remove the duplicate' % item))
        else:
            good.append(item)
    return good


def check_bucket_name(name):
    """The S3 naming rules for general purpose buckets; returns the reason or None."""
    if not isinstance(name, str):
        return 'must be a string, got %r' % (name,)
    if not _BUCKET.match(name):
        return ('%r is not a valid bucket name: 3-63 characters of lowercase letters, digits, '
                '"." and "-", starting and ending with a letter or digit' % name)
    if '..' in name or '.-' in name or '-.' in name:
        return '%r is not a valid bucket name: no "..", ".-" or "-." inside' % name
    if re.match(r'^\d+\.\d+\.\d+\.\d+\Z', name):
        return '%r is not a valid bucket name: it looks like an IP address' % name
    if name.startswith('xn--') or name.startswith('sthree-') or name.endswith('-s3alias') or name.endswith('--ol-s3'):
        return '%r is not a valid bucket name: reserved prefix or suffix' % name
    return None


def _check_prefix(field, value, problems):
    if not isinstance(value, str) or not _PREFIX.match(value) or value.startswith('/') or value.endswith('/') \
            or '//' in value or '..' in value.split('/'):
        problems.append(problem(field, '%r is not a usable key prefix: letters, digits and !_.*\'()=- '
                                       'separated by single "/", no leading or trailing "/"' % (value,)))
        return ''
    return value


def _s3_location(bucket, prefix):
    """Bucket and prefix (for IAM resources) and the s3:// URL the roles take (the store, the mirror)."""
    return {'bucket': bucket, 'prefix': prefix, 'url': 's3://%s/%s' % (bucket, prefix)}


def _check_results(plan, problems):
    results = plan.get('results')
    if not isinstance(results, dict):
        problems.append(problem('results', 'required: give {bucket: <S3 bucket>, prefix: <key prefix>}'))
        return {}
    _unknown_keys('results', results, ('bucket', 'prefix'), problems)
    reason = check_bucket_name(results.get('bucket'))
    if reason:
        problems.append(problem('results.bucket', reason))
    prefix = _check_prefix('results.prefix', results.get('prefix', 'instancebench'), problems)
    return _s3_location(results.get('bucket'), prefix)


def _check_mirror(plan, problems):
    mirror = plan.get('sources_mirror')
    if mirror is None:
        return None
    match = re.match(r'^s3://([^/]+)(?:/(.*))?\Z', mirror) if isinstance(mirror, str) else None
    if not match:
        problems.append(problem('sources_mirror', '%r must look like s3://bucket/prefix' % (mirror,)))
        return None
    reason = check_bucket_name(match.group(1))
    if reason:
        problems.append(problem('sources_mirror', reason))
    prefix = _check_prefix('sources_mirror', (match.group(2) or '').rstrip('/'), problems)
    return _s3_location(match.group(1), prefix)


def _check_cidrs(field, value, problems):
    if not isinstance(value, list) or not value:
        problems.append(problem(field, 'must be a non-empty list of CIDRs such as 203.0.113.7/32, '
                                       'or "auto" for this controller\'s address'))
        return []
    good = []
    for index, item in enumerate(value):
        try:
            good.append(str(ipaddress.ip_network(item, strict=True)))
        except (TypeError, ValueError) as exc:
            problems.append(problem('%s[%d]' % (field, index), '%r is not a CIDR: %s' % (item, exc)))
    return good


def _check_networking(plan, problems):
    net = plan.get('networking', {})
    if not isinstance(net, dict):
        problems.append(problem('networking', 'must be a mapping, got %r' % (net,)))
        return {}
    _unknown_keys('networking', net, NETWORK_FIELDS, problems)
    scope = 'networking.'
    out = {'mode': _choice(net, 'mode', NETWORK_MODES, 'create', problems, scope),
           'connect_via': _choice(net, 'connect_via', CONNECT_VIA, 'public', problems, scope)}
    open_world = net.get('ssh_open_to_world', False)
    if not isinstance(open_world, bool):
        problems.append(problem('networking.ssh_open_to_world', 'must be true or false, got %r' % (open_world,)))
        open_world = False
    out['ssh_open_to_world'] = open_world
    key_file = net.get('public_key_file', '~/.ssh/id_ed25519.pub')
    if not isinstance(key_file, str) or not key_file.endswith('.pub'):
        problems.append(problem('networking.public_key_file', '%r must be an OpenSSH public key file (*.pub); '
                                                              'its private half is used to log in' % (key_file,)))
    out['public_key_file'] = key_file
    out['private_key_file'] = key_file[:-len('.pub')] if isinstance(key_file, str) and key_file.endswith('.pub') else None
    if out['mode'] == 'existing':
        out['subnet_ids'] = _string_list(net, 'subnet_ids', _SUBNET, 'subnet ids (subnet-...)', problems, scope)
        out['security_group_ids'] = _string_list(net, 'security_group_ids', _SECURITY_GROUP,
                                                 'security group ids (sg-...)', problems, scope)
        key = net.get('key_name')
        if not isinstance(key, str) or not _KEY_NAME.match(key):
            problems.append(problem('networking.key_name', 'required with mode existing: the EC2 key pair to log in with'))
        out['key_name'] = key
        for field in ('vpc_cidr', 'ssh_ingress_cidrs'):
            if field in net:
                problems.append(problem('networking.' + field, 'only used with mode create; remove it or set mode: create'))
        return out
    for field in ('subnet_ids', 'security_group_ids', 'key_name'):
        if field in net:
            problems.append(problem('networking.' + field, 'only used with mode existing; remove it or set mode: existing'))
    try:
        vpc = ipaddress.ip_network(net.get('vpc_cidr', '10.77.0.0/16'), strict=True)
        if vpc.version != 4 or not 16 <= vpc.prefixlen <= 24:
            raise ValueError('an IPv4 block between /16 and /24 is needed')
        out['vpc_cidr'] = str(vpc)
    except (TypeError, ValueError) as exc:
        problems.append(problem('networking.vpc_cidr', '%r is not usable: %s' % (net.get('vpc_cidr'), exc)))
    cidrs = net.get('ssh_ingress_cidrs', 'auto')
    if cidrs == 'auto':
        out['ssh_ingress_cidrs'] = 'auto'
    else:
        out['ssh_ingress_cidrs'] = _check_cidrs('networking.ssh_ingress_cidrs', cidrs, problems)
        wide = _world_open(out['ssh_ingress_cidrs'])
        if wide and not open_world:
            problems.append(problem('networking.ssh_ingress_cidrs', '%s opens SSH to the whole internet; give your '
                                    'address (or "auto"), or set networking.ssh_open_to_world: true if you '
                                    'really mean it' % ', '.join(wide)))
    return out


# Ranges wider than this many addresses (together) are "the internet": a /8 is 16.7 million hosts.
_WORLD_ADDRESSES = {4: 2 ** 24, 6: 2 ** 104}


def _world_open(cidrs):
    """The CIDRs that together open SSH to far more than one site: judged on their union, so
    0.0.0.0/1 + 128.0.0.0/1 is as open as 0.0.0.0/0."""
    networks = [ipaddress.ip_network(c) for c in cidrs]
    wide = []
    for version in (4, 6):
        mine = [n for n in networks if n.version == version]
        union = list(ipaddress.collapse_addresses(mine))
        if sum(n.num_addresses for n in union) > _WORLD_ADDRESSES[version]:
            wide.extend(str(n) for n in mine)
    return wide


def _check_tags(plan, problems):
    tags = plan.get('tags', {})
    if not isinstance(tags, dict):
        problems.append(problem('tags', 'must be a mapping of tag names to values, got %r' % (tags,)))
        return {}
    if len(tags) > MAX_USER_TAGS:
        problems.append(problem('tags', '%d tags given; at most %d (EC2 allows 50 and instancebench adds its own)'
                                % (len(tags), MAX_USER_TAGS)))
    for key, value in tags.items():
        where = 'tags.%s' % key
        if not isinstance(key, str) or not 0 < len(key) <= 128:
            problems.append(problem(where, 'tag names are 1-128 characters'))
        elif key.lower().startswith(('aws:', 'instancebench:')):
            problems.append(problem(where, 'the aws: and instancebench: prefixes are reserved; rename the tag'))
        if not isinstance(value, str) or len(value) > 256:
            problems.append(problem(where, 'tag values are strings of at most 256 characters; quote numbers'))
    return dict(tags)


def check_plan(plan):
    """Returns (normalized_plan, problems). Pure: no AWS call, no file access."""
    problems = []
    if not isinstance(plan, dict):
        return {}, [problem('plan', 'must be a mapping (YAML dictionary) under instancebench_plan, got %r' % (plan,))]
    _unknown_keys('', plan, TOP_LEVEL, problems)
    out = {}
    name = plan.get('name', 'instancebench')
    if not isinstance(name, str) or not _NAME.match(name):
        problems.append(problem('name', '%r: use 1-40 lowercase letters, digits and "-"' % (name,)))
    out['name'] = name
    region = plan.get('region')
    if not isinstance(region, str) or not _REGION.match(region):
        problems.append(problem('region', 'required: an AWS region such as us-east-1, got %r' % (region,)))
    out['region'] = region
    out['instance_types'] = _string_list(plan, 'instance_types', _INSTANCE_TYPE, 'instance types (family.size)', problems)
    if 'availability_zones' in plan:
        zones = _string_list(plan, 'availability_zones', re.compile(r'^[a-z0-9-]+[a-z]\Z'), 'availability zone names',
                             problems)
        for zone in zones:
            if isinstance(region, str) and not zone.startswith(region):
                problems.append(problem('availability_zones', '%r is not in region %s' % (zone, region)))
        out['availability_zones'] = zones
    else:
        out['availability_zones'] = None
    out['benchmarks'] = _check_benchmarks(plan, problems)
    out['os'] = _choice(plan, 'os', OPERATING_SYSTEMS, 'al2023', problems)
    out['market'] = _choice(plan, 'market', MARKETS, 'on-demand', problems)
    if 'max_runtime_minutes' in plan:
        out['max_runtime_minutes'] = _bounded_number(plan, 'max_runtime_minutes', None, 0, MAX_RUNTIME_CAP_MINUTES,
                                                     problems, unit=' (the hard cap)')
    else:
        problems.append(problem('max_runtime_minutes', 'required: minutes one job may run before it is stopped'))
        out['max_runtime_minutes'] = None
    runtime = out['max_runtime_minutes'] or 0
    out['start_grace_minutes'] = _bounded_number(plan, 'start_grace_minutes',
                                                 min(DEFAULT_START_GRACE_MINUTES, runtime) if runtime else
                                                 DEFAULT_START_GRACE_MINUTES, 0, runtime or MAX_RUNTIME_CAP_MINUTES, problems,
                                                 unit=' (max_runtime_minutes)')
    out['max_concurrency'] = _bounded_number(plan, 'max_concurrency', 10, 0, MAX_CONCURRENCY_CAP, problems)
    out['instances_per_type'] = _bounded_number(plan, 'instances_per_type', 1, 0, MAX_INSTANCES_PER_TYPE, problems)
    default_expiry = (runtime + 2 * EXPIRY_BUFFER_MINUTES) / 60.0
    out['expiry_hours'] = _bounded_number(plan, 'expiry_hours', default_expiry, 0, MAX_EXPIRY_HOURS, problems,
                                          integer=False)
    if runtime and out['expiry_hours'] * 60 < runtime + EXPIRY_BUFFER_MINUTES:
        problems.append(problem('expiry_hours', '%s h is shorter than max_runtime_minutes (%d) plus the %d minute '
                                'failsafe buffer; raise it or leave it out' % (out['expiry_hours'], runtime,
                                                                               EXPIRY_BUFFER_MINUTES)))
    out['results'] = _check_results(plan, problems)
    out['sources_mirror'] = _check_mirror(plan, problems)
    out['networking'] = _check_networking(plan, problems)
    out['tags'] = _check_tags(plan, problems)
    user = plan.get('ssh_user')
    if user is not None and (not isinstance(user, str) or not _SSH_USER.match(user)):
        problems.append(problem('ssh_user', '%r is not a login name' % (user,)))
    out['ssh_user'] = user
    out['schedule'], more = _scheduled_jobs.check_schedule(plan.get('schedule'), out['instance_types'],
                                                           out['benchmarks'], MARKETS)
    problems.extend(more)
    return out, problems


def subnet_cidrs(vpc_cidr, zones):
    """One subnet per zone, carved in order from the VPC block (16 subnets at most)."""
    network = ipaddress.ip_network(vpc_cidr)
    subnets = network.subnets(new_prefix=min(network.prefixlen + 4, 28))
    return dict((zone, str(next(subnets))) for zone in zones)


def launch_options(market, zones):
    """Ordered (market, zone) pairs to try: spot everywhere first, then on-demand."""
    spot = [{'market': 'spot', 'availability_zone': zone} for zone in zones]
    on_demand = [{'market': 'on-demand', 'availability_zone': zone} for zone in zones]
    if market == 'spot':
        return spot
    if market == 'spot-with-fallback':
        return spot + on_demand
    return on_demand


def expand_jobs(plan, run_id, type_info, offered_zones, prices=None, windows=None):
    """One job per (instance type, benchmark, replica): one benchmark per instance, never two at
    once; instances_per_type > 1 puts identical instances side by side (instance-to-instance spread).
    A scheduled plan gives its jobs explicitly: those of `windows` (see _scheduled_jobs).

    type_info: {type: {architecture, vcpus, cores, threads_per_core, clock_ghz, manufacturer, memory_mib}}
    offered_zones: {type: [zones offering it, in plan order]}; prices: {type: usd per hour or None}.
    """
    jobs = []
    if plan.get('schedule'):
        for window in windows or []:
            for entry in window['jobs']:
                job = _job_entry(dict(plan, market=entry['market']), run_id, entry['instance_type'], entry['benchmark'],
                                 0, len(jobs), type_info, offered_zones, prices, entry['variant'])
                job.update(window=window['name'], role_vars=entry.get('role_vars', {}),
                           estimated_minutes=entry.get('estimated_minutes'))
                jobs.append(job)
        return jobs
    replicas = range(plan.get('instances_per_type', 1))
    for instance_type in plan['instance_types']:
        for benchmark in plan['benchmarks']:
            for replica in replicas:
                jobs.append(_job_entry(plan, run_id, instance_type, benchmark, replica, len(jobs), type_info,
                                       offered_zones, prices))
    return jobs


def _job_entry(plan, run_id, instance_type, benchmark, replica, index, type_info, offered_zones, prices,
               variant='default'):
    return {
        'job_id': _job.job_id(run_id, plan['region'], instance_type, benchmark, variant, replica),
        'run_id': run_id,
        'index': index,
        'replica': replica,
        'region': plan['region'],
        'instance_type': instance_type,
        'family': instance_type.split('.', 1)[0],
        'benchmark': benchmark,
        'variant': variant,
        'hardware': type_info[instance_type],
        'on_demand_price_per_hour_usd': (prices or {}).get(instance_type),
        'launch_options': launch_options(plan['market'], offered_zones[instance_type]),
        'window': None,
        'role_vars': {},
    }
