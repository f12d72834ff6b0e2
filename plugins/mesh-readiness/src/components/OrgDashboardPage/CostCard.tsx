import type {
  CostEstimate,
  MeshOption,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import { Section } from '../common/Section';
import { isSafeUrl } from '../common/SourceLinks';
import { meshLabel } from '../common/labels';
import { formatMemory, formatVcpu } from './format';

/** Estimated data-plane overhead per option, with the published figures. */
export const CostCard = (props: {
  cost: CostEstimate[];
  recommended: MeshOption;
}) => {
  if (props.cost.length === 0) {
    return (
      <Section title="Estimated proxy cost">
        <Typography variant="body2">
          No estimate: no service declares replicas or peak-rps.
        </Typography>
      </Section>
    );
  }
  const inputs = props.cost[0].inputs;
  const missing = Math.max(...props.cost.map(c => c.servicesMissingInputs));
  return (
    <Section title="Estimated proxy cost">
      <Typography variant="body2" component="p" paragraph>
        For {inputs.pods.toLocaleString()} pods serving{' '}
        {inputs.peakRps.toLocaleString()} requests/s at peak on{' '}
        {inputs.nodes.toLocaleString()} nodes.
        {missing > 0 &&
          ` ${missing} service${
            missing === 1 ? '' : 's'
          } declare no replicas or peak-rps and are not counted.`}
      </Typography>
      <Box style={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Estimated proxy cost per option">
          <TableHead>
            <TableRow>
              <TableCell>Option</TableCell>
              <TableCell align="right">Memory</TableCell>
              <TableCell align="right">CPU</TableCell>
              <TableCell>How it is computed</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.cost.map(c => (
              <TableRow key={c.mesh} selected={c.mesh === props.recommended}>
                <TableCell>
                  {meshLabel(c.mesh)}
                  {c.mesh === props.recommended && (
                    <Typography variant="caption" component="span">
                      {' '}
                      (recommended)
                    </Typography>
                  )}
                </TableCell>
                <TableCell align="right">{formatMemory(c.memoryMiB)}</TableCell>
                <TableCell align="right">{formatVcpu(c.vcpu)}</TableCell>
                <TableCell>
                  <Typography variant="body2" component="p">
                    {c.formula}
                  </Typography>
                  {c.figures.length > 0 && (
                    <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
                      {c.figures.map(f => (
                        <li key={f.name}>
                          <Typography variant="body2" component="span">
                            {f.name}: {f.value.toLocaleString()} {f.unit}
                            {isSafeUrl(f.source.url) && (
                              <>
                                {' — '}
                                <Link to={f.source.url} externalLinkIcon>
                                  {f.source.title}
                                </Link>
                              </>
                            )}
                          </Typography>
                        </li>
                      ))}
                    </ul>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Section>
  );
};
