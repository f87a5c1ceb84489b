"""Routing at scale: suggest, repeat look-up and cluster assignment with N stored matters.

    python benchmarks/routing_bench.py --matters 1000000        # SQLite in a temporary dir
    python benchmarks/routing_bench.py --matters 100000 --keep

Seeding does NOT go through the services (registering a million matters one by one would take
hours): matters, petitioners and the routing indexes (identity keys, postings of named things,
the indexed marker) are written with bulk inserts, with synthetic petitions built from templates
over a pool of companies, compounds, roads and villages, so that the index has realistic posting
lists (a few hot names shared by thousands of matters, most by a handful). Then new matters are
registered through the real service and measured: `suggest` (classifier + routing table),
`find_repeats` (identity keys + content), cluster look-up (candidates from the postings) and the
whole indexing of a new matter (keys, postings, cluster assignment, its writes included).
Median and p95 in milliseconds; one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import seed_and_measure as sm  # noqa: E402  (Django set-up and the machine description)

PREFIXES = (
    "宏达",
    "鑫源",
    "恒远",
    "金穗",
    "顺通",
    "华源",
    "绿野",
    "宏图",
    "永鑫",
    "瑞丰",
    "博雅",
    "新兴",
    "安泰",
    "富民",
    "兴隆",
    "长城",
    "东方",
    "万家",
    "天成",
    "嘉禾",
)
KINDS = ("机械厂", "化工有限公司", "建筑劳务公司", "小区", "花园", "路", "村", "纺织厂", "物业公司")
STORY = (
    "我们多次向有关部门反映，一直没有得到答复。家里老人身体不好，孩子还在上学，生活压力很大。"
    "希望领导能够重视，派人实地调查核实情况，依法依规尽快处理，给我们一个明确的答复。"
)
TEMPLATES = (
    ("拖欠工资", "我在{e}上班，{e}已经{n}个月没发工资了，老板说资金周转困难，请求督促支付。"),
    ("环境污染", "{e}夜里排放刺鼻废气，附近居民晚上不敢开窗，孩子咳嗽不止，请求查处。"),
    ("房产证办不下来", "{e}交房{n}年了还办不下房产证，开发商推说手续不全，业主们要求给个说法。"),
    ("道路破损", "{e}的路面坑坑洼洼，大车每天压过，出行很不安全，请求尽快维修。"),
    ("低保问题", "我家住在{e}，老伴瘫痪在床，今年低保被取消了，请求核实恢复。"),
    ("物业乱收费", "{e}物业今年突然涨价，服务却越来越差，电梯经常停运，请求主管部门查处。"),
)


def entity_pool(rng: random.Random, size: int) -> list[str]:
    pool = set()
    while len(pool) < size:
        a = rng.choice(PREFIXES)
        b = "".join(
            rng.choice("东西南北中新老大小金银福寿康乐平安") for _ in range(rng.randint(0, 2))
        )
        pool.add(a + b + rng.choice(KINDS))
    return sorted(pool)


def seed_bulk(n: int, *, rng: random.Random, batch: int = 20000) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from xinfang.demo.org import build_org
    from xinfang.matters.models import Matter, Petitioner, State
    from xinfang.matters.services._core import keyring
    from xinfang.routing.core import similar
    from xinfang.routing.models import IdentityKey, Indexed, Posting
    from xinfang.routing.services.indexing import name_address_hash

    org = build_org()
    bureau = org.units["bureau"]
    units = [u for slug, u in org.units.items() if slug not in ("city", "gov", "bureau")]
    ring = keyring()
    # Names: hot ones shared by many matters (Zipf-like), most by a few.
    pool = entity_pool(rng, max(1000, n // 20))
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(pool))]
    now = timezone.now()
    started = time.perf_counter()
    for start in range(0, n, batch):
        size = min(batch, n - start)
        entities = rng.choices(pool, weights=weights, k=size)
        matters = []
        for i, entity in enumerate(entities):
            seq = start + i + 1
            title, text = rng.choice(TEMPLATES)
            received = now - timedelta(minutes=rng.randint(60, 60 * 24 * 700))
            matters.append(
                Matter(
                    office=bureau,
                    year=2024,
                    seq=seq,
                    number=f"清信〔2024〕{seq}号",
                    query_code=f"B{seq:011d}",
                    channel="letter",
                    received_at=received,
                    registered_at=received,
                    title=title,
                    content=text.format(e=entity, n=rng.randint(2, 9)) + STORY,
                    type="request",
                    state=rng.choice(
                        [State.FORWARDED, State.ACCEPTED, State.IN_HANDLING, State.CLOSED]
                    ),
                    lead_unit=rng.choice(units),
                )
            )
        with transaction.atomic():
            Matter.objects.bulk_create(matters, batch_size=5000)
            people, keys, postings, indexed = [], [], [], []
            for m, entity in zip(matters, entities, strict=True):
                phone = f"13{rng.randint(0, 999999999):09d}"
                name = f"居民{rng.randint(0, 10**7)}"
                phone_hash = ring.match_hash("phone", phone)
                people.append(
                    Petitioner(
                        matter=m, position=1, name=name, address="永安镇", phone_hash=phone_hash
                    )
                )
                keys.append(IdentityKey(key=phone_hash, matter=m))
                keys.append(IdentityKey(key=name_address_hash(name, "永安镇"), matter=m))
                day = m.received_at.date()
                for thing in {entity, entity[:-3] if len(entity) > 5 else entity}:
                    postings.append(
                        Posting(term=similar.term_hash(thing), matter=m, received_on=day)
                    )
                indexed.append(Indexed(matter=m, indexed_at=now, entities=[entity], subject=""))
            Petitioner.objects.bulk_create(people, batch_size=5000)
            IdentityKey.objects.bulk_create(keys, batch_size=5000)
            Posting.objects.bulk_create(postings, batch_size=5000)
            Indexed.objects.bulk_create(indexed, batch_size=5000)
        sm._log(f"seeded {start + size} matters ({time.perf_counter() - started:.0f} s)")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "matters": n,
        "names_in_pool": len(pool),
        "seconds": round(time.perf_counter() - started, 1),
        "org": org,
        "pool": pool,
    }


def timed(fn: Any, repetitions: int) -> dict[str, float]:
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "max_ms": round(samples[-1], 2),
        "n": repetitions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--matters", type=int, default=100_000)
    parser.add_argument("--repetitions", type=int, default=200)
    parser.add_argument("--database-url")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    rng = random.Random(20261123)
    tmp = sm.setup_django(args.database_url)

    from django.db import connection, transaction
    from django.utils import timezone

    from xinfang.matters import services
    from xinfang.matters.models import Channel, Matter, MatterType
    from xinfang.routing.core import similar
    from xinfang.routing.services import indexing
    from xinfang.routing.suggest import find_repeats, suggest

    seeded = seed_bulk(args.matters, rng=rng)
    org, pool = seeded.pop("org"), seeded.pop("pool")
    bureau = org.units["bureau"]
    registrar = org.user("registrar")
    texts = [
        (t, x.format(e=rng.choice(pool[:200]), n=3) + STORY)
        for t, x in TEMPLATES
        for _ in range(40)
    ]
    rng.shuffle(texts)
    results: dict[str, Any] = {}

    suggest(title="x", content="拖欠工资", office=bureau)  # warm: caches, regexes
    it = iter(texts * 10)
    results["suggest"] = timed(
        lambda: suggest(title=(t := next(it))[0], content=t[1], office=bureau), args.repetitions
    )

    # The same with a trained model (what an office uses after `xinfang routing-train`).
    from xinfang.routing import store
    from xinfang.routing.services.training import routing_train

    labels = (
        "劳动与社会保障",
        "生态环境",
        "城乡建设与住房",
        "交通运输",
        "民政与社会救助",
        "城乡建设与住房",
    )
    by_template = {title: labels[i] for i, (title, _) in enumerate(TEMPLATES)}
    rows = [
        {"title": t, "text": x, "type": "申诉求决", "category": by_template[t], "unit": ""}
        for t, x in texts[:120]
    ]
    version = routing_train(office=bureau, rows=rows)
    store.forget()
    assert (
        suggest(title="x", content="拖欠工资", office=bureau).source == f"model v{version.number}"
    )
    it = iter(texts * 10)
    results["suggest_trained_model"] = timed(
        lambda: suggest(title=(t := next(it))[0], content=t[1], office=bureau), args.repetitions
    )

    # Repeats: a person with matters on file asks again (their phone is in the index).
    existing = (
        list(Matter.objects.order_by("?")[: args.repetitions])
        if connection.vendor != "sqlite"
        else list(
            Matter.objects.filter(
                pk__in=[rng.randint(1, args.matters) for _ in range(args.repetitions)]
            )
        )
    )
    from xinfang.matters.models import Petitioner

    people = {p.matter_id: p for p in Petitioner.objects.filter(matter__in=existing)}
    probes = []
    for m in existing:
        person = people[m.pk]
        probes.append((services.PetitionerInput(name=person.name, address="永安镇"), m))
    it2 = iter(probes * 2)

    def repeat_lookup() -> None:
        person, m = next(it2)
        find_repeats(user=registrar, petitioners=[person], title="再次反映", content=m.content)

    repeat_lookup()
    results["find_repeats"] = timed(repeat_lookup, min(args.repetitions, len(probes)))

    # Clusters: a new matter's candidates (the look-up), then the whole indexing with writes.
    it3 = iter(texts * 10)

    def cluster_lookup() -> None:
        title, text = next(it3)
        fake = Matter(pk=10**12, title=title, content=text, received_at=timezone.now())
        item = indexing.Indexing(fake, set(), similar.profile(title, text), "劳动与社会保障")
        indexing.cluster_candidates(item)

    cluster_lookup()
    results["cluster_lookup"] = timed(cluster_lookup, args.repetitions)

    # Register without the commit hook, so that the indexing itself can be timed below.
    from django.db.models.signals import post_save

    post_save.disconnect(sender=Matter, dispatch_uid="routing-index")
    new_matters = []
    for title, text in texts[:60]:
        with transaction.atomic():
            new_matters.append(
                services.matter_register(
                    actor=registrar,
                    channel=Channel.ONLINE,
                    received_at=timezone.now(),
                    title=title,
                    content=text,
                    type=MatterType.REQUEST,
                    petitioners=[
                        services.PetitionerInput(
                            name=f"新居民{len(new_matters)}", phone=f"1770000{len(new_matters):04d}"
                        )
                    ],
                )
            )
    it4 = iter(new_matters)
    results["index_new_matter_with_cluster_assignment"] = timed(
        lambda: indexing.index_matter(next(it4)), len(new_matters)
    )
    results["clusters_formed_by_new_matters"] = sum(
        1 for m in new_matters if indexing.ClusterMember.objects.filter(matter=m).exists()
    )
    out = {
        "benchmark": "routing",
        "seeded": seeded,
        "how": "bulk inserts for the stored matters and their index rows; new matters through "
        "matter_register; timings are wall time of the Python call (no HTTP)",
        "results": results,
        "machine": sm.machine_info(),
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    if tmp and not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    elif tmp:
        sm._log(f"kept {tmp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
