"""Retention of episodic memory: the oldest steps of a world go beyond ``memory_steps_kept``; documents stay.

Real Chroma on disk (and, once, a real ``chroma run`` server for the shared mode), hash embeddings.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.memory.index import open_client, open_store
from neuronaut.memory.store import EpisodeMemory
from neuronaut.settings import Settings

MONSTERS = ["slime", "goblin", "wolf", "bat", "skeleton", "orc", "troll", "dragon", "ghost", "spider"]


def add(store: EpisodeMemory, step: int, *, world: str = "rpg", thread_id: str = "t1") -> None:
    monster = MONSTERS[step % len(MONSTERS)]
    store.add_step(thread_id=thread_id, step=step, world=world, goal="reach level 5",
                   observation=f"A wild {monster} number {step} appears", action={"tool": "attack", "args": {}},
                   outcome=f"You hit the {monster}", ok=True)


def steps_of(store: EpisodeMemory, world: str | None = None) -> list[int]:
    hits = store.search("wild appears attack", world=world, k=1000)
    return sorted(int(hit.metadata["step"]) for hit in hits)


def test_the_oldest_steps_beyond_the_cap_are_deleted(memory: EpisodeMemory) -> None:
    for step in range(25):
        add(memory, step)

    assert memory.prune_steps("rpg", 10) == 15

    assert memory.count("step") == 10
    assert steps_of(memory) == list(range(15, 25))


def test_retrieval_still_ranks_what_is_left(memory: EpisodeMemory) -> None:
    for step in range(30):
        add(memory, step)
    memory.prune_steps("rpg", 12)

    hits = memory.search("A wild dragon number 27 appears", k=3)

    assert hits[0].metadata["step"] == 27
    assert all(int(hit.metadata["step"]) >= 18 for hit in hits)
    add(memory, 30)  # and the store keeps taking new steps
    assert memory.search("A wild slime number 30 appears", k=1)[0].metadata["step"] == 30


def test_documents_are_never_pruned(memory: EpisodeMemory) -> None:
    chunks = memory.add_document(doc_id="guide", text="Slimes are weak. Dragons breathe fire.", world="rpg",
                                 source="README.md")
    for step in range(20):
        add(memory, step)

    memory.prune_steps("rpg", 5)

    assert memory.count("step") == 5
    assert memory.count("document") == chunks == 1
    assert memory.search("dragons breathe fire", kind="document", k=1)[0].metadata["source"] == "README.md"


def test_zero_keeps_everything(memory: EpisodeMemory) -> None:
    for step in range(15):
        add(memory, step)

    assert memory.prune_steps("rpg", 0) == 0
    assert memory.count("step") == 15


def test_the_cap_is_per_world(memory: EpisodeMemory) -> None:
    for step in range(12):
        add(memory, step, world="rpg")
    for step in range(4):
        add(memory, step, world="swift", thread_id="s1")

    memory.prune_steps("rpg", 5)
    memory.prune_steps("swift", 5)

    assert steps_of(memory, "rpg") == list(range(7, 12))
    assert steps_of(memory, "swift") == list(range(4))  # a busy world does not push out another's memories


def test_the_oldest_across_threads_go_first(memory: EpisodeMemory) -> None:
    add(memory, 50, thread_id="old-run")  # a high step number, but written first
    for step in range(6):
        add(memory, step, thread_id="new-run")

    memory.prune_steps("rpg", 6)

    assert {hit.metadata["thread_id"] for hit in memory.search("wild", k=10)} == {"new-run"}


def test_after_a_check_the_world_is_counted_again_only_after_a_batch_of_adds(memory: EpisodeMemory) -> None:
    for step in range(120):
        add(memory, step)
    assert memory.prune_steps("rpg", 100) == 20  # the first call always counts

    for step in range(120, 124):
        add(memory, step)
    assert memory.prune_steps("rpg", 100) == 0  # 4 new steps: below the batch of 100 // 20 = 5
    assert memory.count("step") == 104

    add(memory, 124)
    assert memory.prune_steps("rpg", 100) == 5  # the batch goes in one prune
    assert steps_of(memory) == list(range(25, 125))


def test_a_reopened_store_prunes_what_an_earlier_one_wrote(memory_dir: Path) -> None:
    with EpisodeMemory(memory_dir, HashEmbeddings(64)) as first:
        for step in range(10):
            add(first, step)
    with EpisodeMemory(memory_dir, HashEmbeddings(64)) as second:
        assert second.prune_steps("rpg", 4) == 6
        assert steps_of(second) == [6, 7, 8, 9]


def test_steps_written_before_time_stamps_count_as_oldest(memory_dir: Path) -> None:
    with EpisodeMemory(memory_dir, HashEmbeddings(64)) as store:
        for step in range(3):
            add(store, step)
        name = store._names["step"]
    client = open_client(memory_dir / "chroma")  # a step as an older release wrote it: no added_at
    open_store(client, name, HashEmbeddings(64)).add_texts(
        ["goal: x | saw: legacy"], metadatas=[{"kind": "step", "world": "rpg", "step": 99, "thread_id": "old"}],
        ids=["old:99"])
    client.close()

    with EpisodeMemory(memory_dir, HashEmbeddings(64)) as store:
        assert store.prune_steps("rpg", 3) == 1
        assert steps_of(store) == [0, 1, 2]


def test_the_setting_defaults_to_a_cap_and_reads_the_environment(tmp_path: Path) -> None:
    assert Settings.load(env={"NEURONAUT_HOME": str(tmp_path)}).memory_steps_kept == 20000
    env = {"NEURONAUT_HOME": str(tmp_path), "NEURONAUT_MEMORY_STEPS_KEPT": "0"}
    assert Settings.load(env=env).memory_steps_kept == 0


# -- the shared server (chroma_url) --------------------------------------------------


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("chroma-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with (path / "server.log").open("ab") as log:
        server = subprocess.Popen([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(path / "data"),
                                   "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "chroma run did not start"
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_pruning_works_against_a_shared_server(tmp_path: Path, chroma_url: str) -> None:
    with EpisodeMemory(tmp_path / "a", HashEmbeddings(32), chroma_url=chroma_url) as agent_a, \
            EpisodeMemory(tmp_path / "b", HashEmbeddings(32), chroma_url=chroma_url) as agent_b:
        agent_a.add_document(doc_id="guide", text="Dragons breathe fire.", world="rpg", source="README.md")
        for step in range(8):
            add(agent_a, step, thread_id="agent-a")
        for step in range(8, 16):
            add(agent_b, step, thread_id="agent-b")  # the other agent's steps are newer

        assert agent_a.prune_steps("rpg", 6) == 10

        assert steps_of(agent_b) == list(range(10, 16))
        assert {hit.metadata["thread_id"] for hit in agent_b.search("wild", k=10)} == {"agent-b"}
        assert agent_b.count("document") == 1
        assert agent_b.search("A wild skeleton number 14 appears", k=1)[0].metadata["step"] == 14
