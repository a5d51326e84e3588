"""An area named by a warning or a decision's target, as a mask over the topology's areas."""

import pytest

from conftest import SMALL_TOPOLOGY, write
from d2c.config.topology import load_topology
from d2c.world import EVERYWHERE, World


def test_an_area_name_is_that_area_alone_and_everywhere_is_every_area(tmp_path):
    world = World(load_topology(write(tmp_path, "small.yaml", SMALL_TOPOLOGY)))
    first, last = world.area_ids[0], world.area_ids[-1]
    assert world.area_mask(first).tolist() == [name == first for name in world.area_ids]
    assert world.area_mask(last).tolist() == [name == last for name in world.area_ids]
    assert world.area_mask(EVERYWHERE).all() and world.area_mask(EVERYWHERE).size == len(world.area_ids)
    with pytest.raises(KeyError, match="no area 'Atlantis' in the topology"):
        world.area_mask("Atlantis")
