/**
 * The Keras script's Ray section (issue 23): `--ray` trains every chosen run as a Ray task and
 * merges the results into one file. Each task runs this same script for its one config and seed in
 * a process of its own (the script's text travels with the task, so a cluster's nodes need only
 * Python with Keras and Ray, and the data folder), exactly as a Slurm array task runs it.
 */
export const RAY_PY = `def ray_task(source, key, seed, data):
    """One run, in a process of its own: this script with --config KEY --seed N; its run record."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "runs.py")
        with open(path, "w") as f:
            f.write(source)
        command = [sys.executable, path, "--config", key, "--seed", str(seed), "--out", tmp]
        if data is not None:
            command += ["--data", data]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError("%s seed %d failed: %s" % (key, seed, done.stderr.strip()[-2000:]))
        with open(os.path.join(tmp, "%s-seed%d.json" % (key, seed))) as f:
            return json.load(f)["runs"][0]


def ray_runs(chosen, address):
    """Every chosen run as a Ray task (ray.init(): a local cluster; ray.init(address=...): a running one)."""
    import ray

    env = {name: os.environ[name] for name in ("KERAS_BACKEND", "XLA_FLAGS") if name in os.environ}
    options = {"runtime_env": {"env_vars": env}} if env else {}
    if address == "local":
        ray.init(include_dashboard=False, **options)
    else:
        ray.init(address=address, **options)
    try:
        print("ray: %d runs on %s CPUs" % (len(chosen), int(ray.cluster_resources().get("CPU", 0))))
        with open(os.path.abspath(sys.argv[0])) as f:
            source = f.read()
        data = os.path.abspath(DATA) if DATA is not None else None
        task = ray.remote(num_cpus=1)(ray_task)
        refs = [task.remote(source, run["key"], run["seed"], data) for run in chosen]
        return ray.get(refs)
    finally:
        ray.shutdown()


`;
