package io.github.posj.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisValidator;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.testing.TestNetwork;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class LeaderScheduleTest {
  @Test
  void draw_everySlotOfTwoEpochs_namesTheLeaderTheScheduleDraws() {
    Genesis genesis = TestNetwork.withStakes(10, 20, 30, 40).genesis();
    LeaderSchedule schedule = LeaderSchedule.of(genesis);
    Hash seed = schedule.seed(3, schedule.initialMix());
    Map<Object, Long> stakes = new HashMap<>();
    for (GenesisValidator v : genesis.validators()) {
      stakes.put(v.address(), v.stake());
    }

    for (long slot = 24; slot < 40; slot++) {
      LeaderSchedule.Draw draw = schedule.draw(slot, seed);

      assertThat(draw.leader()).isEqualTo(schedule.leader(slot, seed));
      assertThat(draw.slot()).isEqualTo(slot);
      assertThat(draw.epochSeed()).isEqualTo(seed);
      assertThat(draw.leaderSeed()).isEqualTo(LeaderSchedule.leaderSeed(seed, slot));
      assertThat(draw.totalStake()).isEqualTo(100);
      assertThat(draw.valuesDrawn()).isPositive();
      assertThat(draw.ticket()).isBetween(draw.ticketsFrom(), draw.ticketsTo() - 1);
      assertThat(draw.ticketsTo() - draw.ticketsFrom()).isEqualTo(stakes.get(draw.leader()));
    }
  }

  @Test
  void draw_oneValidator_leadsWithoutDrawing() {
    Genesis genesis = TestNetwork.withStakes(7).genesis();
    LeaderSchedule schedule = LeaderSchedule.of(genesis);

    LeaderSchedule.Draw draw = schedule.draw(5, schedule.seed(0, schedule.initialMix()));

    assertThat(draw.leader()).isEqualTo(genesis.validators().get(0).address());
    assertThat(draw.ticket()).isZero();
    assertThat(draw.valuesDrawn()).isZero();
    assertThat(draw.ticketsFrom()).isZero();
    assertThat(draw.ticketsTo()).isEqualTo(7);
  }
}
