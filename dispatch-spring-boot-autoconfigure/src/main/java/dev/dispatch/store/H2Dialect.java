package dev.dispatch.store;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * H2 2.x: a claim is one statement that updates the rows and reads them as they are after it (a data change delta
 * table). No row locks to skip: an H2 database is one process, whose scheduler makes its claims one at a time.
 */
final class H2Dialect extends Dialect {

    private static final String CLAIM = """
            SELECT %2$s FROM FINAL TABLE (
                UPDATE dispatch_invocation SET %3$s
                WHERE %1$s) i
            LEFT JOIN dispatch_call_group g ON g.id = i.group_id""";

    /** Whether the claim index exists (a schema made from the entities by Hibernate may lack it): asked once. */
    private volatile @Nullable Boolean claimIndex;

    @Override
    List<ClaimedInvocation> claim(
            NamedParameterJdbcTemplate named, String filter, String order, MapSqlParameterSource params) {
        // the claim index, read in order: H2 would rather read the due-time index and sort every due row
        String table = hasClaimIndex(named)
                ? "dispatch_invocation USE INDEX (" + ClaimOrder.INDEX + ")"
                : "dispatch_invocation";
        String where = order.isEmpty()
                ? filter
                : "id IN (SELECT id FROM " + table + " WHERE " + filter + " " + order + ") AND status = 'PENDING'";
        return named.query(
                CLAIM.formatted(where, JdbcClaims.CLAIMED_COLUMNS, JdbcClaims.TAKE), params, JdbcClaims.CLAIMED);
    }

    private boolean hasClaimIndex(NamedParameterJdbcTemplate named) {
        Boolean exists = this.claimIndex;
        if (exists == null) {
            Integer count = named.getJdbcTemplate()
                    .queryForObject(
                            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE UPPER(INDEX_NAME) = UPPER(?)"
                                    + " AND TABLE_SCHEMA = SCHEMA()",
                            Integer.class,
                            ClaimOrder.INDEX);
            exists = count != null && count > 0;
            this.claimIndex = exists;
        }
        return exists;
    }
}
