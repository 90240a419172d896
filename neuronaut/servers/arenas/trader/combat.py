"""Void Trader's ship combat: fire, raise shields or warp out, one exchange per press."""

from __future__ import annotations

from neuronaut.servers.arenas.trader.game import WARP_COST, Outcome, Pilot, gain_merit, refused


def laser_damage(pilot: Pilot) -> int:
    base = 5 if "laser" in pilot.upgrades else 3
    return pilot.rng.randint(base, base + 2)


def _incoming(pilot: Pilot, damage: int, outcome: Outcome) -> None:
    absorbed = min(pilot.shield, damage)
    pilot.shield -= absorbed
    pilot.hull = max(0, pilot.hull - (damage - absorbed))
    outcome.lines.append(f"💥 Hit for {damage} (shield took {absorbed}).")
    if pilot.hull == 0:
        _disabled(pilot, outcome)


def _disabled(pilot: Pilot, outcome: Outcome) -> None:
    fine = pilot.credits // 10
    pilot.credits -= fine
    pilot.ore = 0
    pilot.contact = None
    pilot.docked = True
    pilot.hull = pilot.max_hull // 2
    pilot.shield = 0
    outcome.notices.append(f"🛟 Ship disabled. Towed to Helix Station: cargo lost, towing fee {fine} ¢.")


def fire(pilot: Pilot) -> Outcome:
    contact = pilot.contact
    if contact is None:
        return refused("Nothing to shoot at.")
    foe = contact.pirate
    damage = laser_damage(pilot)
    contact.hull = max(0, contact.hull - damage)
    outcome = Outcome(lines=[f"🔫 You hit the {foe.name} for {damage}."])
    if contact.hull == 0:
        pilot.contact = None
        pilot.credits += foe.credits
        if foe.min_rank:
            pilot.bounties.append(foe.key)
        outcome.lines.append(f"✨ {foe.name} destroyed. Salvage: {foe.credits} ¢.")
        outcome.toast = f"+{foe.credits} ¢"
        gain_merit(pilot, foe.merit, outcome)
        return outcome
    _incoming(pilot, pilot.rng.randint(foe.attack - 1, foe.attack + 1), outcome)
    return outcome


def shields_up(pilot: Pilot) -> Outcome:
    contact = pilot.contact
    if contact is None:
        return refused("No threat nearby.")
    pilot.shield = min(pilot.max_shield, pilot.shield + 3)
    outcome = Outcome(lines=["🛡 Shields reinforced."])
    _incoming(pilot, pilot.rng.randint(contact.pirate.attack - 1, contact.pirate.attack + 1) // 2, outcome)
    return outcome


def warp_out(pilot: Pilot) -> Outcome:
    if pilot.contact is None:
        return refused("No threat nearby.")
    if pilot.energy < WARP_COST:
        return refused(f"Warp needs {WARP_COST} energy; you have {pilot.energy}.")
    pilot.energy -= WARP_COST
    pilot.contact = None
    return Outcome(lines=["🌀 You warp away."])
